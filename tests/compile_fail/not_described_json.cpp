#include "common.hpp"
int main() {
#ifdef TASKSTORE_COMPILE_FAIL
  auto p = taskstore::parse_json<cf::plain>("{\"id\": 1}");
  return static_cast<int>(p.id) - 1;
#else
  auto p = taskstore::parse_json<cf::note>("{\"id\": 1, \"text\": \"x\"}");
  return static_cast<int>(p.id) - 1;
#endif
}
