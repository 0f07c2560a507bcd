// Errors as values: every fallible entry point returns Expected<T> (defined in the
// public header), plus the KILN_TRY helpers used inside the implementation.
#pragma once

#include "kiln/error.hpp"


// Unwraps an Expected inside a function that itself returns Expected<...>:
//   auto module = KILN_TRY(decode(bytes));
// (GNU statement expression; supported by GCC and Clang.)
#define KILN_TRY(expr)                                   \
  ({                                                     \
    auto&& kiln_try_result_ = (expr);                    \
    if (!kiln_try_result_.has_value())                   \
      return std::move(kiln_try_result_).error();        \
    std::move(kiln_try_result_).value();                 \
  })

#define KILN_TRY_VOID(expr)                              \
  do {                                                   \
    auto&& kiln_try_result_ = (expr);                    \
    if (!kiln_try_result_.has_value())                   \
      return std::move(kiln_try_result_).error();        \
  } while (0)
