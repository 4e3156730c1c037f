#include "gobuild/attest/merge.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "gobuild/attest/provenance.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {
namespace {

using json = nlohmann::ordered_json;

constexpr const char* kStatementType = "https://in-toto.io/Statement/v1";

/// `doc[a][b]...`, or null where a key is missing or a value is not an object.
const json& at(const json& doc, std::initializer_list<const char*> keys) {
  static const json null_value;
  const json* j = &doc;
  for (const char* k : keys) {
    if (!j->is_object()) return null_value;
    auto it = j->find(k);
    if (it == j->end()) return null_value;
    j = &*it;
  }
  return *j;
}

std::string text_of(const json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); }

/// What every shard must agree on, and its statement.
struct View {
  const Shard* shard;
  const json* statement;
  std::string config;    ///< the config's sha256
  std::string toolchain; ///< "go1.26.8", with the go: pin when there is one
  std::string stamps;    ///< the stamps as JSON text; "{}" when none
};

View view_of(const Shard& s) {
  View v{&s, nullptr, "", "", "{}"};
  const json& d = s.doc;
  const json* stamps = nullptr;
  if (d.is_object() && d.value("_type", "") == kStatementType) {
    v.statement = &d;
  } else if (d.is_object() && d.contains("outputs") && at(d, {"provenance", "_type"}) == kStatementType) {
    v.statement = &d["provenance"];
    if (d.contains("stamps")) stamps = &d["stamps"];
  } else {
    throw UsageError(s.name + ": not a `gobuild build --json` report or a provenance statement");
  }
  const json& def = at(*v.statement, {"predicate", "buildDefinition"});
  if (!stamps && !at(def, {"externalParameters", "stamps"}).is_null())
    stamps = &at(def, {"externalParameters", "stamps"});
  v.config = text_of(at(def, {"externalParameters", "config", "sha256"}));
  v.toolchain = text_of(at(def, {"internalParameters", "go_version"}));
  const json& pin = at(def, {"internalParameters", "go_pin"});
  if (!pin.is_null()) v.toolchain += " (go: \"" + text_of(pin) + "\")";
  if (stamps && !stamps->is_null() && !(stamps->is_object() && stamps->empty())) v.stamps = stamps->dump();
  return v;
}

/// "VALUE in a.json, b.json; OTHER in c.json" when the shards do not all have the same value.
std::string disagreement(const std::vector<View>& views, std::string View::*field) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups; // in first-seen order
  for (const auto& v : views) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == v.*field; });
    if (it == groups.end()) groups.push_back({v.*field, {v.shard->name}});
    else it->second.push_back(v.shard->name);
  }
  if (groups.size() < 2) return "";
  std::vector<std::string> parts;
  for (const auto& g : groups) parts.push_back((g.first.empty() ? "(none)" : g.first) + " in " + join(g.second, ", "));
  return join(parts, "; ");
}

void add_unique(json& list, const json& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

json sorted_strings(const json& list) {
  std::vector<std::string> v;
  for (const auto& x : list) v.push_back(text_of(x));
  std::sort(v.begin(), v.end());
  return json(v);
}

} // namespace

Merged merge_shards(const std::vector<Shard>& shards) {
  Merged m;
  if (shards.empty()) throw UsageError("merge: no report to merge");
  std::vector<View> views;
  for (const auto& s : shards) views.push_back(view_of(s));

  for (const auto& v : views)
    if (v.shard->doc.contains("ok") && v.shard->doc["ok"] == false)
      m.problems.push_back(v.shard->name + ": the shard failed (\"ok\": false); build it again before merging");
  if (auto d = disagreement(views, &View::config); !d.empty())
    m.problems.push_back("the shards were built from different configs: sha256:" + d);
  if (auto d = disagreement(views, &View::toolchain); !d.empty())
    m.problems.push_back("the shards were built by different toolchains: " + d);
  if (auto d = disagreement(views, &View::stamps); !d.empty())
    m.problems.push_back("the shards were built with different stamps: " + d);

  // Outputs: one digest each. The same output twice with the same digest is one subject.
  struct Seen {
    std::string sha256;
    std::string shard;
  };
  std::map<std::string, Seen> subjects;
  std::map<std::string, json> builds;
  std::set<std::string> clashed;
  json targets = json::array(), platforms = json::array();
  std::map<std::string, json> modules;              // pkg:golang/... by uri
  std::map<std::string, std::string> module_shard; // the shard that first recorded it
  json other_deps = json::array();     // the config file, the git commit
  json builder_deps = json::array();
  std::string started, finished;
  for (const auto& v : views) {
    const json& st = *v.statement;
    for (const auto& s : st.value("subject", json::array())) {
      std::string name = text_of(at(s, {"name"}));
      std::string sha = text_of(at(s, {"digest", "sha256"}));
      auto [it, fresh] = subjects.emplace(name, Seen{sha, v.shard->name});
      if (!fresh && it->second.sha256 != sha && clashed.insert(name).second)
        m.problems.push_back(name + ": built twice with different bytes: sha256:" + it->second.sha256 +
                             " in " + it->second.shard + ", sha256:" + sha + " in " + v.shard->name);
    }
    const json& def = at(st, {"predicate", "buildDefinition"});
    for (const auto& t : at(def, {"externalParameters", "targets"})) add_unique(targets, t);
    for (const auto& p : at(def, {"externalParameters", "platforms"})) add_unique(platforms, p);
    for (const auto& b : at(def, {"internalParameters", "builds"}))
      builds.emplace(text_of(at(b, {"output"})), b);
    for (const auto& d : at(def, {"resolvedDependencies"})) {
      std::string uri = text_of(at(d, {"uri"}));
      if (starts_with(uri, "pkg:golang/")) {
        auto [it, fresh] = modules.emplace(uri, d);
        if (fresh) module_shard[uri] = v.shard->name;
        const auto dir_hash = [](const json& dep) {
          return dep.contains("digest") && dep["digest"].contains("dirHash") ? text_of(dep["digest"]["dirHash"])
                                                                              : std::string();
        };
        if (!fresh && it->second != d && !dir_hash(d).empty() && dir_hash(it->second) != dir_hash(d))
          m.problems.push_back(uri + ": the main module's source tree differs between " + module_shard[uri] +
                               " (dirHash " + dir_hash(it->second) + ") and " + v.shard->name + " (dirHash " +
                               dir_hash(d) + "): build every shard from the same tree, and write each " +
                               "--json report outside the module (or under the same name on every runner)");
        else if (!fresh && it->second != d)
          m.problems.push_back(uri + ": recorded differently by " + module_shard[uri] + " and " + v.shard->name +
                               " (" + it->second.dump() + " and " + d.dump() + ")");
      } else {
        add_unique(other_deps, d);
      }
    }
    const json& run = at(st, {"predicate", "runDetails"});
    for (const auto& d : at(run, {"builder", "builderDependencies"})) add_unique(builder_deps, d);
    std::string s1 = text_of(at(run, {"metadata", "startedOn"}));
    std::string f1 = text_of(at(run, {"metadata", "finishedOn"}));
    if (started.empty() || s1 < started) started = s1; // RFC 3339 UTC sorts as text
    if (finished.empty() || f1 > finished) finished = f1;
  }
  if (!m.problems.empty()) return m;

  const json& first = *views.front().statement;
  const json& def0 = at(first, {"predicate", "buildDefinition"});
  json subject = json::array();
  std::vector<BuiltOutput> outputs;
  for (const auto& [name, seen] : subjects) {
    subject.push_back(json{{"name", name}, {"digest", json{{"sha256", seen.sha256}}}});
    BuiltOutput o;
    o.path = name;
    o.sha256 = seen.sha256;
    outputs.push_back(o);
  }
  json external = def0["externalParameters"];
  external["targets"] = sorted_strings(targets);
  external["platforms"] = sorted_strings(platforms);
  json internal = def0["internalParameters"];
  internal["builds"] = json::array();
  for (auto& kv : builds) internal["builds"].push_back(kv.second);
  json resolved = json::array();
  // The main module (the one with a dirHash) first, as one build records it; then by uri.
  for (auto& kv : modules)
    if (kv.second.contains("digest") && kv.second["digest"].contains("dirHash")) resolved.push_back(kv.second);
  for (auto& kv : modules)
    if (!(kv.second.contains("digest") && kv.second["digest"].contains("dirHash"))) resolved.push_back(kv.second);
  for (auto& d : other_deps) resolved.push_back(d);

  json predicate;
  predicate["buildDefinition"] = json{{"buildType", def0.value("buildType", json(kBuildType))},
                                      {"externalParameters", external},
                                      {"internalParameters", internal},
                                      {"resolvedDependencies", resolved}};
  json builder = at(first, {"predicate", "runDetails", "builder"});
  if (builder.is_object()) builder.erase("builderDependencies");
  if (!builder_deps.empty()) builder["builderDependencies"] = builder_deps;
  predicate["runDetails"] = json{{"builder", builder},
                                 {"metadata", json{{"startedOn", started}, {"finishedOn", finished}}}};
  m.statement["_type"] = kStatementType;
  m.statement["subject"] = subject;
  m.statement["predicateType"] = "https://slsa.dev/provenance/v1";
  m.statement["predicate"] = predicate;
  m.checksums = checksum_lines(outputs);
  return m;
}

} // namespace gobuild
