#include "common.hpp"

namespace cf {
struct other {
  std::int64_t id = 0;
  std::int32_t rank = 0;
};
BOOST_DESCRIBE_STRUCT(other, (), (id, rank))
}  // namespace cf
template <>
struct taskstore::table_traits<cf::other> {
  static constexpr std::string_view table = "others";
  static constexpr auto primary_key = auto_increment<&cf::other::id>;
};

int main() {
  using namespace taskstore;
#ifdef TASKSTORE_COMPILE_FAIL
  auto q = query<cf::item>{}.order_by(asc(&cf::item::rank), desc(&cf::other::rank));
#else
  auto q = query<cf::item>{}.order_by(asc(&cf::item::rank), desc(&cf::item::id));
#endif
  return q.limit_value() ? 1 : 0;
}
