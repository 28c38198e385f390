#include "common.hpp"
#ifdef TASKSTORE_COMPILE_FAIL
constexpr auto n = taskstore::table_model<cf::note>::column_count;
#else
template <>
struct taskstore::table_traits<cf::note> {
  static constexpr std::string_view table = "notes";
  static constexpr auto primary_key = natural_key<&cf::note::text>;
};
constexpr auto n = taskstore::table_model<cf::note>::column_count;
#endif
int main() { return static_cast<int>(n) - 2; }
