#include "gobuild/config/stamps.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "checks.hpp"
#include "gobuild/config/allowlist.hpp"
#include "gobuild/util/error.hpp"

namespace gobuild {

namespace {

/// Calls `f(name, begin, end)` for each `{name}` in `text` whose name is made of lower-case
/// letters and '_' ([begin, end) spans the braces).
template <typename F>
void each_placeholder(const std::string& text, F f) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '{') continue;
    std::size_t close = text.find('}', i + 1);
    if (close == std::string::npos) return;
    const std::string word = text.substr(i + 1, close - i - 1);
    const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || c == '_';
    });
    if (plain) {
      f(word, i, close + 1);
      i = close;
    }
  }
}

} // namespace

const std::vector<std::string>& stamp_names() {
  static const std::vector<std::string> names = {"version", "commit", "short_commit", "date",
                                                 "timestamp"};
  return names;
}

bool is_stamp_name(const std::string& name) {
  const auto& n = stamp_names();
  return std::find(n.begin(), n.end(), name) != n.end();
}

std::vector<std::string> stamps_in(const std::string& text) {
  std::vector<std::string> out;
  each_placeholder(text, [&](const std::string& name, std::size_t, std::size_t) {
    if (is_stamp_name(name) && std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  });
  return out;
}

std::vector<std::string> stamps_used(const Config& cfg, const std::vector<std::string>& targets) {
  std::vector<std::string> seen;
  auto add = [&](const std::string& text) {
    for (auto& s : stamps_in(text)) seen.push_back(s);
  };
  for (const auto& t : cfg.targets) {
    if (!targets.empty() && std::find(targets.begin(), targets.end(), t.name) == targets.end()) continue;
    add(t.output);
    for (const auto& w : t.build.ldflags) add(w);
    for (const auto& w : t.build.extldflags) add(w);
  }
  std::vector<std::string> out;
  for (const auto& name : stamp_names())
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) out.push_back(name);
  return out;
}

std::string expand_stamps(const std::string& text, const StampValues& values) {
  std::string out;
  std::size_t from = 0;
  each_placeholder(text, [&](const std::string& name, std::size_t begin, std::size_t end) {
    auto it = values.find(name);
    if (it == values.end()) return;
    out.append(text, from, begin - from);
    out += it->second;
    from = end;
  });
  out.append(text, from, std::string::npos);
  return out;
}

std::optional<std::string> check_stamp_placeholders(const std::string& key, const std::string& word) {
  std::optional<std::string> problem;
  each_placeholder(word, [&](const std::string& name, std::size_t, std::size_t) {
    if (problem || is_stamp_name(name)) return;
    if (auto near = config_detail::nearest(name, stamp_names())) {
      problem = fmt::format("{}: unknown stamp '{{{}}}' (did you mean '{{{}}}'?)", key, name, *near);
    } else {
      problem = fmt::format("{}: unknown stamp '{{{}}}' (stamps: {{version}}, {{commit}}, "
                            "{{short_commit}}, {{date}}, {{timestamp}})", key, name);
    }
  });
  return problem;
}

void apply_stamps(Config& cfg, const StampValues& values, bool allow_cc) {
  // The expanded list is checked again, word by word, as the config's was.
  auto expand_words = [&](std::vector<std::string>& words, const char* key, WordList list) {
    const std::vector<std::string> before = words;
    for (auto& w : words) w = expand_stamps(w, values);
    if (words == before) return;
    if (auto problem = check_words(list, words, WordRules{allow_cc})) {
      const size_t i = std::min(problem->index, words.size() - 1);
      throw UsageError(fmt::format("{} word '{}' becomes '{}' with its stamps, which is refused: {}",
                                   key, before[i], words[i], problem->message));
    }
  };
  for (auto& t : cfg.targets) {
    expand_words(t.build.ldflags, "ldflags", WordList::ldflags);
    expand_words(t.build.extldflags, "extldflags", WordList::extldflags);
    for (const auto& name : stamps_in(t.output)) {
      auto it = values.find(name);
      if (it != values.end() && (it->second.find('/') != std::string::npos || it->second == "." ||
                                 it->second == "..")) {
        throw UsageError(fmt::format("stamp {{{}}} is '{}', which {}; the output of target "
                                     "'{}' ({}) cannot use it", name, it->second,
                                     it->second.find('/') != std::string::npos ? "holds '/'" : "names a directory",
                                     t.name, t.output));
      }
    }
    t.output = expand_stamps(t.output, values);
  }
}

} // namespace gobuild
