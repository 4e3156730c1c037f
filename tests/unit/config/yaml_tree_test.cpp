#include <doctest/doctest.h>

#include "gobuild/util/error.hpp"
#include "yaml_tree.hpp"

using namespace gobuild;
using config_detail::parse_yaml;
using config_detail::YamlNode;

namespace {

std::string error_of(const std::string& yaml) {
  try {
    parse_yaml(yaml, "c.yaml");
  } catch (const ConfigError& e) {
    return e.formatted();
  }
  return "(no error)";
}

std::string repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

} // namespace

TEST_CASE("scalars keep their text and whether they were plain") {
  YamlNode n = parse_yaml("a: 1.20\nb: \"x\"\nc: !!str 5\nd: ~\ne:\n", "c.yaml");
  REQUIRE(n.is_map());
  REQUIRE(n.entries.size() == 5);
  CHECK(n.entries[0].second.text == "1.20");
  CHECK(n.entries[0].second.plain);
  CHECK(n.entries[1].second.text == "x");
  CHECK_FALSE(n.entries[1].second.plain);
  CHECK(n.entries[2].second.text == "5");
  CHECK_FALSE(n.entries[2].second.plain);
  CHECK(n.entries[3].second.is_null());
  // A null value takes its key's position: for an empty one yaml-cpp would point past it.
  CHECK(n.entries[3].second.line == 4);
  CHECK(n.entries[3].second.column == 1);
  CHECK(n.entries[4].second.is_null());
  CHECK(n.entries[4].second.line == 5);
  CHECK(n.entries[4].second.column == 1);
}

TEST_CASE("positions are 1-based") {
  YamlNode n = parse_yaml("top:\n  - x\n  - [y, z]\n", "c.yaml");
  const YamlNode& seq = n.entries[0].second;
  CHECK(n.entries[0].first.line == 1);
  CHECK(n.entries[0].first.column == 1);
  CHECK(seq.items[0].line == 2);
  CHECK(seq.items[0].column == 5);
  CHECK(seq.items[1].items[1].line == 3);
  CHECK(seq.items[1].items[1].column == 9);
}

TEST_CASE("an empty document is a null node") {
  CHECK(parse_yaml("", "c.yaml").is_null());
  CHECK(parse_yaml("# only a comment\n", "c.yaml").is_null());
}

TEST_CASE("merge keys splice the merged map in place") {
  YamlNode n = parse_yaml("a: &a {x: 1, y: 2}\nb: &b {z: 3, x: 4}\nc:\n  w: 0\n  <<: [*a, *b]\n  y: 9\n",
                          "c.yaml");
  const YamlNode& c = n.entries[2].second;
  REQUIRE(c.entries.size() == 4);
  CHECK(c.entries[0].first.text == "w");
  CHECK(c.entries[1].first.text == "x");
  CHECK(c.entries[1].second.text == "1"); // the first merged map wins
  CHECK(c.entries[1].first.line == 1);    // reported where it was written
  CHECK(c.entries[2].first.text == "z");
  CHECK(c.entries[3].first.text == "y");
  CHECK(c.entries[3].second.text == "9"); // explicit keys win
}

TEST_CASE("broken YAML and hostile input become ConfigError") {
  CHECK(error_of("a: [1\nb: 2") == "c.yaml:2:2: error: invalid YAML: end of sequence flow not found");
  CHECK(error_of("a: \"\\q\"") == "c.yaml:1:7: error: invalid YAML: unknown escape character: q");
  CHECK(error_of("a: *nope") == "c.yaml:1:4: error: invalid YAML: the referenced anchor is not defined");
  CHECK(error_of("a: 1\n---\nb: 2\n") ==
        "c.yaml:2:1: error: a second YAML document or stray text; the config holds exactly one "
        "document");
  // yaml-cpp 0.7's LoadAll makes empty documents forever after a stray ','.
  CHECK(error_of(",") == "c.yaml:1:1: error: a second YAML document or stray text; the config "
                         "holds exactly one document");
  CHECK(error_of("[a],") == "c.yaml:1:4: error: a second YAML document or stray text; the config "
                            "holds exactly one document");
  CHECK(parse_yaml("a: 1\n...\n", "c.yaml").entries.size() == 1);
  CHECK(error_of("a: 1\na: 2\n") == "c.yaml:2:1: error: duplicate key 'a' (first at line 1)");
  CHECK(error_of("[a]: 1\n") == "c.yaml:1:1: error: keys must be strings, not lists");
  CHECK(error_of("a: !!int 1\n") ==
        "c.yaml:1:4: error: unsupported tag '!!int'; gobuild.yaml uses plain strings, lists and maps");
  CHECK(error_of("a: !custom x\n") ==
        "c.yaml:1:4: error: unsupported tag '!custom'; gobuild.yaml uses plain strings, lists and "
        "maps");
  CHECK(error_of("a: {<<: 1}\n") == "c.yaml:1:9: error: '<<' merges a map or a list of maps");
  CHECK(error_of("x: &x {a: 1}\na: {<<: *x, <<: *x}\n") ==
        "c.yaml:2:13: error: duplicate key '<<'; merge several maps with <<: [*a, *b]");
  // A self-referencing anchor is a cycle in yaml-cpp's graph.
  CHECK(error_of("a: &x [*x]\n") == "c.yaml:1:4: error: nesting deeper than 64 levels");
  CHECK(error_of("a: &x {b: *x}\n") == "c.yaml:1:8: error: nesting deeper than 64 levels");
  CHECK(error_of("a: " + repeat("[", 65) + repeat("]", 65)) ==
        "c.yaml:1:68: error: brackets nested deeper than 64 levels");
  CHECK(error_of(repeat("- ", 200) + "x\n") == "c.yaml:1:401: error: nesting deeper than 256 columns");
  CHECK(error_of(std::string(config_detail::kMaxBytes + 1, ' ')) ==
        "c.yaml: error: larger than 1048576 bytes; not a config");
}

TEST_CASE("alias bombs are cut off") {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  const char* prev = "a";
  const char* names[] = {"b", "c", "d", "e", "f", "g"};
  for (const char* name : names) {
    bomb += std::string(name) + ": &" + name + " [" + repeat(std::string("*") + prev + ", ", 9) +
            "*" + prev + "]\n";
    prev = name;
  }
  CHECK(error_of(bomb).find("error: the config expands to more than 100000 YAML nodes through "
                            "aliases") != std::string::npos);
  std::string long_text = "a: &a " + std::string(60000, 'x') + "\nb: [" +
                          repeat("*a, ", 100) + "*a]\n";
  CHECK(error_of(long_text) == "c.yaml:1:4: error: the config expands to more than 4194304 bytes "
                               "of text through aliases");
}
