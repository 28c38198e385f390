#include "common.hpp"
int main() {
  using namespace taskstore;
#ifdef TASKSTORE_COMPILE_FAIL
  auto q = query<cf::item>{col(&cf::item::lvl) < cf::level::HIGH};
#else
  auto q = query<cf::item>{col(&cf::item::lvl) == cf::level::HIGH && col(&cf::item::rank) < 3};
#endif
  return q.limit_value() ? 1 : 0;
}
