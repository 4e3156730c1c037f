#include "yaml_tree.hpp"

#include <new>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "gobuild/util/error.hpp"

namespace gobuild::config_detail {
namespace {

constexpr const char* kCoreTag = "tag:yaml.org,2002:";

// Rejects input that would make yaml-cpp recurse deeply before it parses anything: flow
// brackets nested past kMaxDepth, or a line whose content starts past kMaxIndent (block
// nesting costs at least one column a level). Brackets inside quotes and comments count too;
// no real config comes near either limit.
void check_nesting(const std::string& text, const std::string& file) {
  int depth = 0;
  int line = 1;
  size_t line_start = 0;
  bool at_line_start = true;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = i + 1;
      at_line_start = true;
      continue;
    }
    int column = static_cast<int>(i - line_start) + 1;
    if (at_line_start) {
      bool indicator = (c == '-' || c == '?' || c == ':') && i + 1 < text.size() &&
                       (text[i + 1] == ' ' || text[i + 1] == '\t');
      if (c != ' ' && c != '\t' && !indicator) {
        at_line_start = false;
        if (column > kMaxIndent) {
          throw ConfigError(file, line, column,
                            fmt::format("nesting deeper than {} columns", kMaxIndent));
        }
      }
    }
    if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) {
        throw ConfigError(file, line, column,
                          fmt::format("brackets nested deeper than {} levels", kMaxDepth));
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

/// A tag as the user wrote it: yaml-cpp expands `!!str` to the core schema URI.
std::string written_tag(const std::string& tag) {
  std::string prefix = kCoreTag;
  if (tag.compare(0, prefix.size(), prefix) == 0) return "!!" + tag.substr(prefix.size());
  return tag;
}

/// Remembers where a document's first event is, and nothing else.
struct FirstMark : YAML::EventHandler {
  YAML::Mark mark = YAML::Mark::null_mark();
  bool seen = false;
  void at(const YAML::Mark& m) {
    if (!seen) mark = m;
    seen = true;
  }
  void OnDocumentStart(const YAML::Mark& m) override { at(m); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { at(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { at(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                const std::string&) override { at(m); }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override { at(m); }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override { at(m); }
  void OnMapEnd() override {}
};

class Converter {
public:
  explicit Converter(const std::string& file) : file_(file) {}

  YamlNode convert(const YAML::Node& n, int depth, int fallback_line, int fallback_column) {
    YamlNode out;
    const YAML::Mark mark = n.Mark();
    if (mark.line >= 0 && !n.IsNull()) {
      out.line = mark.line + 1;
      out.column = mark.column + 1;
    } else {
      // yaml-cpp gives an empty value the position of whatever follows it, or none.
      out.line = fallback_line;
      out.column = fallback_column;
    }
    if (depth > kMaxDepth) fail(out, fmt::format("nesting deeper than {} levels", kMaxDepth));
    if (++nodes_ > kMaxNodes) {
      fail(out, fmt::format("the config expands to more than {} YAML nodes through aliases",
                            kMaxNodes));
    }
    const std::string tag = n.Tag();
    switch (n.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      if (!tag.empty() && tag != "?" && tag != std::string(kCoreTag) + "null") bad_tag(out, tag);
      out.kind = YamlNode::Kind::null;
      break;
    case YAML::NodeType::Scalar:
      if (tag != "?" && tag != "!" && tag != std::string(kCoreTag) + "str") bad_tag(out, tag);
      out.kind = YamlNode::Kind::scalar;
      out.text = n.Scalar();
      text_bytes_ += out.text.size();
      if (text_bytes_ > kMaxTextBytes) {
        fail(out, fmt::format("the config expands to more than {} bytes of text through aliases",
                              kMaxTextBytes));
      }
      out.plain = tag == "?";
      break;
    case YAML::NodeType::Sequence:
      if (tag != "?" && tag != std::string(kCoreTag) + "seq") bad_tag(out, tag);
      out.kind = YamlNode::Kind::seq;
      for (auto it = n.begin(); it != n.end(); ++it) {
        const YAML::Node item = *it;
        out.items.push_back(convert(item, depth + 1, out.line, out.column));
      }
      break;
    case YAML::NodeType::Map:
      if (tag != "?" && tag != std::string(kCoreTag) + "map") bad_tag(out, tag);
      out.kind = YamlNode::Kind::map;
      convert_map(n, out, depth);
      break;
    }
    return out;
  }

  [[noreturn]] void fail(const YamlNode& at, const std::string& message) const {
    throw ConfigError(file_, at.line, at.column, message);
  }

private:
  [[noreturn]] void bad_tag(const YamlNode& at, const std::string& tag) const {
    fail(at, fmt::format("unsupported tag '{}'; gobuild.yaml uses plain strings, lists and maps",
                         written_tag(tag)));
  }

  static bool is_merge_key(const YAML::Node& key) {
    return key.IsScalar() && key.Tag() == "?" && key.Scalar() == "<<";
  }

  // Explicit keys win over merged ones; among merged maps the first wins (YAML merge key spec).
  // Merged entries are spliced in where the `<<` stands, so env keeps a predictable order.
  void convert_map(const YAML::Node& n, YamlNode& out, int depth) {
    std::vector<std::pair<std::string, int>> explicit_keys; // key, line
    // Copies, not references: yaml-cpp's map iterator hands out a temporary pair.
    for (auto it = n.begin(); it != n.end(); ++it) {
      const YAML::Node key = it->first;
      YamlNode k = convert(key, depth + 1, out.line, out.column);
      if (!k.is_scalar()) {
        fail(k, fmt::format("keys must be strings, not {}",
                            k.is_null() ? "empty" : k.is_seq() ? "lists" : "maps"));
      }
      if (is_merge_key(key)) continue;
      for (const auto& [name, line] : explicit_keys) {
        if (name == k.text) fail(k, fmt::format("duplicate key '{}' (first at line {})", name, line));
      }
      explicit_keys.emplace_back(k.text, k.line);
    }
    std::set<std::string> present;
    for (const auto& key : explicit_keys) present.insert(key.first);
    bool merged = false;
    for (auto it = n.begin(); it != n.end(); ++it) {
      const YAML::Node yaml_key = it->first;
      const YAML::Node yaml_value = it->second;
      YamlNode key = convert(yaml_key, depth + 1, out.line, out.column);
      if (!is_merge_key(yaml_key)) {
        YamlNode value = convert(yaml_value, depth + 1, key.line, key.column);
        out.entries.emplace_back(std::move(key), std::move(value));
        continue;
      }
      if (merged) fail(key, "duplicate key '<<'; merge several maps with <<: [*a, *b]");
      merged = true;
      YamlNode source = convert(yaml_value, depth + 1, key.line, key.column);
      std::vector<YamlNode> maps;
      if (source.is_map()) {
        maps.push_back(std::move(source));
      } else if (source.is_seq()) {
        maps = std::move(source.items);
      } else {
        fail(source, "'<<' merges a map or a list of maps");
      }
      for (auto& map : maps) {
        if (!map.is_map()) fail(map, "'<<' merges a map or a list of maps");
        for (auto& entry : map.entries) {
          if (present.insert(entry.first.text).second) out.entries.push_back(std::move(entry));
        }
      }
    }
  }

  const std::string& file_;
  size_t nodes_ = 0;
  size_t text_bytes_ = 0;
};

} // namespace

YamlNode parse_yaml(const std::string& text, const std::string& file) {
  if (text.size() > kMaxBytes) {
    throw ConfigError(file, 0, 0, fmt::format("larger than {} bytes; not a config", kMaxBytes));
  }
  check_nesting(text, file);
  auto yaml_error = [&](const YAML::Exception& e) {
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    int column = e.mark.column >= 0 ? e.mark.column + 1 : 0;
    return ConfigError(file, line, column, "invalid YAML: " + e.msg);
  };
  YAML::Node doc;
  try {
    // Not YAML::LoadAll: on a stray ',' at document level it makes empty documents forever
    // (yaml-cpp 0.7). Walk the events of at most two documents instead, then load the first.
    std::istringstream in(text);
    YAML::Parser parser(in);
    FirstMark first, second;
    parser.HandleNextDocument(first);
    if (parser.HandleNextDocument(second)) {
      const YAML::Mark& m = second.mark;
      throw ConfigError(file, m.line >= 0 ? m.line + 1 : 0, m.line >= 0 ? m.column + 1 : 0,
                        "a second YAML document or stray text; the config holds exactly one "
                        "document");
    }
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw yaml_error(e);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const ConfigError&) {
    throw;
  } catch (const std::exception& e) {
    throw ConfigError(file, 0, 0, std::string("invalid YAML: ") + e.what());
  }
  try {
    return Converter(file).convert(doc, 0, 0, 0);
  } catch (const YAML::Exception& e) {
    throw yaml_error(e);
  }
}

} // namespace gobuild::config_detail
