#pragma once
// The config's YAML as a plain tree, so that the schema code never touches yaml-cpp.
//
// yaml-cpp 0.7 leaves several things to its callers: `<<` merge keys are ordinary keys, a
// self-referencing anchor (`a: &x [*x]`) is a cycle, duplicate keys are kept, positions are
// 0-based and missing on empty values, and several exception types escape. parse_yaml deals with
// all of them in one place and throws only ConfigError.
#include <string>
#include <utility>
#include <vector>

namespace gobuild::config_detail {

struct YamlNode {
  enum class Kind { null, scalar, seq, map };
  Kind kind = Kind::null;
  std::string text;  ///< scalar: the text as written, unconverted
  bool plain = false; ///< scalar: unquoted and untagged, so it may read as a bool or a number
  int line = 0;      ///< 1-based; for an empty value, the position of its key
  int column = 0;    ///< 1-based
  std::vector<YamlNode> items; ///< seq
  /// map: keys are scalars, unique, in file order; `<<` merges are spliced in where they stand,
  /// with the positions of the merged map's entries.
  std::vector<std::pair<YamlNode, YamlNode>> entries;

  bool is_map() const { return kind == Kind::map; }
  bool is_seq() const { return kind == Kind::seq; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_null() const { return kind == Kind::null; }
};

/// Limits that keep hostile input cheap: yaml-cpp recurses once per nesting level, and aliases
/// can make a small file expand to a huge tree.
constexpr int kMaxDepth = 64;          ///< nesting of flow brackets, and of the resulting tree
constexpr int kMaxIndent = 256;        ///< column of a line's first content character
constexpr size_t kMaxNodes = 100000;   ///< nodes after aliases and merges are expanded
constexpr size_t kMaxBytes = 1 << 20;  ///< size of the config text
constexpr size_t kMaxTextBytes = 4 << 20; ///< scalar text after aliases are expanded

/// Parses `text`, which must hold at most one YAML document (none: a null node at 0:0).
/// Throws ConfigError naming `file` with the position of the problem.
YamlNode parse_yaml(const std::string& text, const std::string& file);

} // namespace gobuild::config_detail
