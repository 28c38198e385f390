#include "common.hpp"
template <>
struct taskstore::table_traits<cf::note> {
  static constexpr std::string_view table = "notes";
  static constexpr auto primary_key = auto_increment<&cf::note::id>;
#ifdef TASKSTORE_COMPILE_FAIL
  static constexpr auto columns = std::tuple{column<&cf::note::hidden>.max_length(10)};
#else
  static constexpr auto columns = std::tuple{column<&cf::note::text>.max_length(10)};
#endif
};
int main() { return static_cast<int>(taskstore::table_model<cf::note>::column_count) - 2; }
