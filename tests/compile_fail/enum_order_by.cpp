#include "common.hpp"
int main() {
  using namespace taskstore;
#ifdef TASKSTORE_COMPILE_FAIL
  auto q = query<cf::item>{}.order_by(asc(&cf::item::lvl));
#else
  auto q = query<cf::item>{}.order_by(asc(&cf::item::rank));
#endif
  return q.limit_value() ? 1 : 0;
}
