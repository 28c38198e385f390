#include "common.hpp"
template <>
struct taskstore::table_traits<cf::note> {
  static constexpr std::string_view table = "notes";
  static constexpr auto primary_key = auto_increment<&cf::note::id>;
#ifdef TASKSTORE_COMPILE_FAIL
  static constexpr auto indexes = std::tuple{index<&cf::note::text, &cf::note::hidden>("ix_notes_text_hidden")};
#else
  static constexpr auto indexes = std::tuple{index<&cf::note::text>("ix_notes_text")};
#endif
};
int main() { return static_cast<int>(taskstore::table_model<cf::note>::indexes.size()) - 1; }
