#include "gobuild/attest/merge.hpp"

#include <doctest/doctest.h>

#include "gobuild/attest/provenance.hpp"
#include "gobuild/util/error.hpp"

using namespace gobuild;
using json = nlohmann::ordered_json;

namespace {

/// The statement of a shard that built `path` for `platform` with bytes `digit` × 64.
json statement(const std::string& path, const std::string& platform, char digit,
               std::int64_t started = 1700000000, const std::string& main_dirhash = "") {
  ProvenanceInput in;
  if (!main_dirhash.empty()) {
    in.main_module = "example.com/app";
    in.main_dirhash = main_dirhash;
  }
  in.config_path = "gobuild.yaml";
  in.config_sha256 = std::string(64, 'c');
  in.go_version = "go1.26.8";
  in.started = started;
  in.finished = started + 10;
  BuiltOutput o;
  o.target = "app";
  o.platform = platform;
  o.path = path;
  o.config_output = path;
  o.sha256 = std::string(64, digit);
  o.env = {{"GOOS", "linux"}};
  o.argv = {"go", "build", "-o", path, "."};
  GoBuildInfo go;
  go.version = "go1.26.8";
  go.deps.push_back(GoDep{{"example.com/dep", "v1.0.0", "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}, std::nullopt});
  o.go = go;
  in.outputs.push_back(o);
  return provenance_statement(in);
}

/// A `gobuild build --json` report around a statement.
json report(const json& st, bool ok = true) {
  json r;
  r["outputs"] = json::array();
  r["toolchain"] = json{{"go_version", "go1.26.8"}};
  r["config"] = json{{"path", "gobuild.yaml"}, {"sha256", std::string(64, 'c')}};
  r["stamps"] = json::object();
  r["provenance"] = st;
  r["ok"] = ok;
  return r;
}

} // namespace

TEST_CASE("merge: two shards make one statement and one checksum file") {
  Merged m = merge_shards({{"arm64.json", report(statement("bin/app-linux-arm64", "linux/arm64", 'b', 1700000100))},
                           {"amd64.json", statement("bin/app-linux-amd64", "linux/amd64", 'a')}});
  REQUIRE(m.problems.empty());
  CHECK(m.checksums == std::string(64, 'a') + "  bin/app-linux-amd64\n" + std::string(64, 'b') + "  bin/app-linux-arm64\n");
  const json& st = m.statement;
  CHECK(st["_type"] == "https://in-toto.io/Statement/v1");
  REQUIRE(st["subject"].size() == 2);
  CHECK(st["subject"][0]["name"] == "bin/app-linux-amd64");
  const json& def = st["predicate"]["buildDefinition"];
  CHECK(def["externalParameters"]["platforms"].dump() == R"(["linux/amd64","linux/arm64"])");
  CHECK(def["externalParameters"]["targets"].dump() == R"(["app"])");
  CHECK(def["externalParameters"]["config"]["sha256"] == std::string(64, 'c'));
  REQUIRE(def["internalParameters"]["builds"].size() == 2);
  CHECK(def["internalParameters"]["builds"][1]["output"] == "bin/app-linux-arm64");
  REQUIRE(def["resolvedDependencies"].size() == 2); // the module once, then the config
  CHECK(def["resolvedDependencies"][0]["uri"] == "pkg:golang/example.com/dep@v1.0.0");
  CHECK(def["resolvedDependencies"][1]["uri"] == "file:gobuild.yaml");
  const json& meta = st["predicate"]["runDetails"]["metadata"];
  CHECK(meta["startedOn"] == "2023-11-14T22:13:20Z"); // the earliest start
  CHECK(meta["finishedOn"] == "2023-11-14T22:15:10Z"); // the latest end
}

TEST_CASE("merge: the same output twice with the same digest is one subject") {
  json a = statement("bin/app", "linux/amd64", 'a');
  Merged m = merge_shards({{"1.json", a}, {"2.json", a}});
  REQUIRE(m.problems.empty());
  CHECK(m.statement["subject"].size() == 1);
  CHECK(m.checksums == std::string(64, 'a') + "  bin/app\n");
}

TEST_CASE("merge refuses shards that disagree, naming them") {
  json a = statement("bin/app-linux-amd64", "linux/amd64", 'a');
  json b = statement("bin/app-linux-arm64", "linux/arm64", 'b');

  json other_config = b;
  other_config["predicate"]["buildDefinition"]["externalParameters"]["config"]["sha256"] = std::string(64, 'd');
  Merged m = merge_shards({{"a.json", a}, {"b.json", other_config}, {"c.json", a}});
  REQUIRE(m.problems.size() == 1);
  CHECK(m.problems[0] == "the shards were built from different configs: sha256:" + std::string(64, 'c') +
                             " in a.json, c.json; " + std::string(64, 'd') + " in b.json");
  CHECK(m.checksums.empty());

  json other_go = b;
  other_go["predicate"]["buildDefinition"]["internalParameters"]["go_version"] = "go1.26.7";
  m = merge_shards({{"a.json", a}, {"b.json", other_go}});
  REQUIRE(m.problems.size() == 1);
  CHECK(m.problems[0] == "the shards were built by different toolchains: go1.26.8 in a.json; go1.26.7 in b.json");

  json stamped = report(b);
  stamped["stamps"] = json{{"version", "v1.2.3"}};
  m = merge_shards({{"a.json", report(a)}, {"b.json", stamped}});
  REQUIRE(m.problems.size() == 1);
  CHECK(m.problems[0] == R"(the shards were built with different stamps: {} in a.json; {"version":"v1.2.3"} in b.json)");

  json twice = statement("bin/app-linux-amd64", "linux/amd64", 'e');
  m = merge_shards({{"a.json", a}, {"b.json", twice}});
  REQUIRE(m.problems.size() == 1);
  CHECK(m.problems[0] == "bin/app-linux-amd64: built twice with different bytes: sha256:" + std::string(64, 'a') +
                             " in a.json, sha256:" + std::string(64, 'e') + " in b.json");

  m = merge_shards({{"a.json", report(a)}, {"b.json", report(b, false)}});
  REQUIRE(m.problems.size() == 1);
  CHECK(m.problems[0] == "b.json: the shard failed (\"ok\": false); build it again before merging");
}

TEST_CASE("merge: --cache-prog of any shard stays in runDetails") {
  json a = statement("bin/a", "linux/amd64", 'a');
  json b = statement("bin/b", "linux/arm64", 'b');
  json dep = json{{"name", "GOCACHEPROG"}, {"annotations", json{{"command", "go-cacher"}}}};
  b["predicate"]["runDetails"]["builder"]["builderDependencies"] = json::array({dep});
  Merged m = merge_shards({{"a.json", a}, {"b.json", b}});
  REQUIRE(m.problems.empty());
  CHECK(m.statement["predicate"]["runDetails"]["builder"]["builderDependencies"] == json::array({dep}));
  CHECK(m.statement["predicate"]["runDetails"]["builder"]["id"] == kDefaultBuilderId);
}

TEST_CASE("merge: a document that is neither a report nor a statement") {
  CHECK_THROWS_WITH_AS(merge_shards({{"x.json", json{{"files", json::array()}}}}),
                       "x.json: not a `gobuild build --json` report or a provenance statement", UsageError);
  CHECK_THROWS_WITH_AS(merge_shards({{"y.json", json::array()}}),
                       "y.json: not a `gobuild build --json` report or a provenance statement", UsageError);
  CHECK_THROWS_AS(merge_shards({}), UsageError);
}

TEST_CASE("merge: the main module first, and a source tree that differs named as such") {
  const std::string h1a = "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  const std::string h1b = "h1:AAAAQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
  Merged same = merge_shards({{"a.json", statement("bin/a", "linux/amd64", 'a', 1700000000, h1a)},
                              {"b.json", statement("bin/b", "linux/arm64", 'b', 1700000000, h1a)}});
  REQUIRE(same.problems.empty());
  const json& deps = same.statement["predicate"]["buildDefinition"]["resolvedDependencies"];
  REQUIRE(deps.size() == 3);
  CHECK(deps[0]["uri"] == "pkg:golang/example.com/app");
  CHECK(deps[1]["uri"] == "pkg:golang/example.com/dep@v1.0.0");

  Merged differ = merge_shards({{"a.json", statement("bin/a", "linux/amd64", 'a', 1700000000, h1a)},
                                {"b.json", statement("bin/b", "linux/arm64", 'b', 1700000000, h1b)}});
  REQUIRE(differ.problems.size() == 1);
  const std::string& p = differ.problems[0];
  CHECK(p.rfind("pkg:golang/example.com/app: the main module's source tree differs between a.json (dirHash ", 0) == 0);
  CHECK(p.find(") and b.json (dirHash ") != std::string::npos);
  CHECK(p.find("write each --json report outside the module") != std::string::npos);
}
