#include "common.hpp"
template <>
struct taskstore::table_traits<cf::note> {
  static constexpr std::string_view table = "notes";
#ifdef TASKSTORE_COMPILE_FAIL
  static constexpr auto primary_key = auto_increment<&cf::note::text>;
#else
  static constexpr auto primary_key = auto_increment<&cf::note::id>;
#endif
};
int main() { return static_cast<int>(taskstore::table_model<cf::note>::key_index); }
