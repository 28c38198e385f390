#include <taskstore/sql/query.hpp>
#include "common.hpp"
namespace cf {
enum class level { LOW, HIGH };
BOOST_DESCRIBE_ENUM(level, LOW, HIGH)
struct item {
  std::int64_t id = 0;
  level lvl = level::LOW;
  std::int32_t rank = 0;
};
BOOST_DESCRIBE_STRUCT(item, (), (id, lvl, rank))
}  // namespace cf
template <>
struct taskstore::table_traits<cf::item> {
  static constexpr std::string_view table = "items";
  static constexpr auto primary_key = auto_increment<&cf::item::id>;
};
int main() {
  using namespace taskstore;
#ifdef TASKSTORE_COMPILE_FAIL
  auto q = query<cf::item>{col(&cf::item::lvl) < cf::level::HIGH};
#else
  auto q = query<cf::item>{col(&cf::item::lvl) == cf::level::HIGH && col(&cf::item::rank) < 3};
#endif
  return q.limit_value() ? 1 : 0;
}
