#include "common.hpp"
#ifdef TASKSTORE_COMPILE_FAIL
template <>
struct taskstore::table_traits<cf::plain> {
  static constexpr std::string_view table = "plain";
  static constexpr int primary_key = 0;
};
constexpr auto n = taskstore::table_model<cf::plain>::column_count;
#else
template <>
struct taskstore::table_traits<cf::note> {
  static constexpr std::string_view table = "notes";
  static constexpr auto primary_key = auto_increment<&cf::note::id>;
};
constexpr auto n = taskstore::table_model<cf::note>::column_count;
#endif
int main() { return static_cast<int>(n) - 2; }
