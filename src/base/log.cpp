#include "base/log.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace kiln {

bool log_enabled(const char* topic) {
  static const char* setting = std::getenv("KILN_LOG");
  if (!setting || !*setting) return false;
  if (std::strcmp(setting, "all") == 0) return true;
  std::string list = std::string(",") + setting + ",";
  return list.find(std::string(",") + topic + ",") != std::string::npos;
}

void log_message(const char* topic, const char* format, ...) {
  if (!log_enabled(topic)) return;
  char message[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(message, sizeof message, format, args);
  va_end(args);
  std::fprintf(stderr, "kiln: %s: %s\n", topic, message);
}

}  // namespace kiln
