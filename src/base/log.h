// Debug logs for users and contributors, off unless KILN_LOG names the topic:
// KILN_LOG=tier (functions a tier leaves to another, and why), KILN_LOG=cache
// (code cache hits, misses, stores), KILN_LOG=tier,cache, KILN_LOG=all.
#pragma once

#include <cstdarg>

namespace kiln {

bool log_enabled(const char* topic);

// Prints "kiln: <topic>: <message>" to stderr when the topic is enabled.
void log_message(const char* topic, const char* format, ...) __attribute__((format(printf, 2, 3)));

}  // namespace kiln
