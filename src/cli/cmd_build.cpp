// gobuild build, plan, vendor and env: the CLI face of the build pipeline (src/driver/).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gobuild/attest/compare.hpp"
#include "gobuild/attest/git.hpp"
#include "gobuild/attest/provenance.hpp"
#include "gobuild/driver/command.hpp"
#include "gobuild/driver/diagnostics.hpp"
#include "gobuild/driver/environment.hpp"
#include "gobuild/driver/pipeline.hpp"
#include "gobuild/driver/process.hpp"
#include "gobuild/driver/reproduce.hpp"
#include "gobuild/driver/stamps.hpp"
#include "gobuild/driver/toolchain.hpp"
#include "gobuild/cli/commands.hpp"
#include "gobuild/cli/dropin.hpp"
#include "gobuild/cli/progress.hpp"
#include "gobuild/config/config.hpp"
#include "gobuild/config/emit.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/file.hpp"
#include "gobuild/util/json.hpp"
#include "gobuild/util/sha256.hpp"
#include "gobuild/util/shell.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {

namespace {

/// The config, and the target names to build from it.
struct Loaded {
  Config cfg;
  std::vector<std::string> targets;
  bool dropin = false; ///< built from go build flags: no gobuild.yaml (dropin.hpp)
};

Loaded load(const BuildOptions& o) {
  if (dropin_mode(o)) return Loaded{dropin_config(o, host_environment()), {}, true};
  LoadOptions lo;
  lo.allow_cc = o.allow_cc;
  lo.out_dir = o.out_dir;
  Config cfg = load_config(o.common.config, lo);
  apply_go_mod(cfg, [&cfg] { // go: mod → the version go.mod names
    try {
      return host_go_version(cfg, host_environment());
    } catch (const UsageError&) {
      return std::string(); // a go that refuses this go.mod is older than it asks
    }
  });
  return Loaded{std::move(cfg), o.targets, false};
}

/// The config with its stamps expanded, before anything runs: the stamps that the
/// selected targets use are resolved from --set, .git and SOURCE_DATE_EPOCH, and each expanded
/// ldflags word is checked again and must be writable as one word of go's -ldflags.
Loaded load_stamped(const BuildOptions& o, std::vector<ResolvedStamp>& stamps) {
  std::vector<std::string> words;
  for (const auto& [k, v] : o.set) words.push_back(k + "=" + v);
  const auto set = parse_set_options(words);
  const std::optional<std::int64_t> epoch = source_date_epoch(std::getenv("SOURCE_DATE_EPOCH"));
  Loaded loaded = load(o);
  Config& cfg = loaded.cfg;
  stamps = resolve_stamps(stamps_used(cfg, loaded.targets), set, cfg.module_dir, epoch);
  apply_stamps(cfg, stamp_values(stamps), o.allow_cc);
  for (const auto& t : cfg.targets) ldflags_value(t.build); // throws for a word go cannot carry
  return loaded;
}

BuildContext make_context(const Config& cfg, const BuildOptions& o) {
  BuildContext ctx;
  ctx.cfg = &cfg;
  ctx.host = host_environment();
  ctx.toolchain = resolve_toolchain(cfg, ctx.host);
  ctx.verbose = o.common.verbose;
  ctx.quiet = o.common.quiet;
  ctx.cache_prog = o.cache_prog;
  return ctx;
}

// The build step's sandbox for this run: what the kernel allows (probed once), unless
// --no-sandbox.
// The build step's network namespace: none with --no-sandbox, and none with --cache-prog, whose
// program talks to its server over the network.
Sandbox choose_sandbox(const BuildOptions& o) {
  return o.no_sandbox || !o.cache_prog.empty() ? Sandbox::none : probe_sandbox().mode;
}

// What the sandbox of this run is, in one line for stderr (without "gobuild: ").
std::string sandbox_line(const BuildOptions& o, Sandbox mode) {
  switch (mode) {
  case Sandbox::netns:
    return "sandbox netns: the build step runs in a network namespace holding only loopback";
  case Sandbox::userns_netns:
    return "sandbox userns+netns: the build step runs in a user and network namespace holding "
           "only loopback";
  case Sandbox::none: break;
  }
  if (o.no_sandbox) return "sandbox none (--no-sandbox): the build step has GOPROXY=off alone";
  if (!o.cache_prog.empty())
    return "sandbox none (--cache-prog): the build step keeps the network for the cache program; "
           "GOPROXY=off still keeps go from fetching modules";
  return "warning: sandbox none: the kernel allows no network namespace here (" +
         probe_sandbox().reason + "); the build step has GOPROXY=off alone";
}

// The terminal's columns and rows on stderr (80×24 when it does not say).
std::pair<std::size_t, std::size_t> terminal_size() {
  struct winsize ws {};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) != 0) return {80, 24};
  return {ws.ws_col > 0 ? ws.ws_col : 80, ws.ws_row > 0 ? ws.ws_row : 24};
}

// print_stderr_line goes to stderr again when this goes, whatever happened in between.
struct StderrSinkReset {
  StderrSinkReset() = default;
  StderrSinkReset(const StderrSinkReset&) = delete;
  StderrSinkReset& operator=(const StderrSinkReset&) = delete;
  ~StderrSinkReset() { set_stderr_sink(nullptr); }
};

/// `bin/hello  linux/amd64  2.1 MiB  sha256:...  static  go1.26.8  840 ms`
std::string result_line(const JobResult& r) {
  return fmt::format("{}  {}  {}  sha256:{}  {}  {}  {} ms", escape_controls(r.path), r.platform,
                     human_size(r.size.value_or(0)), r.sha256, r.linkage,
                     r.go_version.empty() ? "go?" : r.go_version, r.duration_ms);
}

nlohmann::ordered_json result_json(const JobResult& r) {
  nlohmann::ordered_json j;
  j["target"] = r.target;
  j["platform"] = r.platform;
  j["path"] = r.path;
  j["size"] = r.size ? nlohmann::ordered_json(*r.size) : nlohmann::ordered_json(nullptr);
  j["sha256"] = r.sha256.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.sha256);
  j["linkage"] = r.linkage.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.linkage);
  j["go_version"] =
      r.go_version.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.go_version);
  j["duration_ms"] = r.duration_ms;
  j["ok"] = r.ok;
  j["problems"] = problem_texts(r.problems);
  return j;
}

std::vector<BuiltOutput> built_outputs(const std::vector<JobResult>& results, const std::string& config_dir = "") {
  std::vector<BuiltOutput> out;
  for (const auto& r : results) {
    if (!r.ok) continue;
    BuiltOutput b;
    b.target = r.target;
    b.platform = r.platform;
    b.path = r.path;
    b.config_output = r.path;
    b.abs_output = (boost::filesystem::path(config_dir) / r.path).lexically_normal().string();
    b.sha256 = r.sha256;
    b.env = r.env;
    b.argv = r.argv;
    b.go = r.go;
    out.push_back(std::move(b));
  }
  return out;
}

/// --provenance (doc/provenance.md): the in-toto statement for the outputs that were built.
nlohmann::ordered_json provenance_of(const BuildOptions& o, const Config& cfg,
                                     const std::vector<JobResult>& results,
                                     const std::vector<ResolvedStamp>& stamps, std::int64_t started,
                                     std::int64_t finished, Sandbox sandbox, bool vendor_checked) {
  namespace fs = boost::filesystem;
  auto from_module = [&cfg](const fs::path& p) {
    return fs::absolute(p).lexically_normal().lexically_relative(fs::path(cfg.module_dir).lexically_normal());
  };
  const std::string& out_base = cfg.out_dir.empty() ? cfg.dir : cfg.out_dir;
  ProvenanceInput in;
  for (const auto& s : stamps) in.stamps.emplace_back(s.name, s.value);
  in.config_abs = fs::absolute(cfg.file).lexically_normal().string();
  in.config_path = from_module(cfg.file).string();
  in.module_dir = cfg.module_dir;
  in.config_sha256 = sha256_file(cfg.file);
  in.go_pin = cfg.go;
  for (const auto& r : results)
    if (r.ok && !r.go_version.empty()) {
      in.go_version = r.go_version;
      break;
    }
  std::string top;
  in.git_commit = git_head_commit(cfg.module_dir, &top);
  if (in.git_commit) {
    in.git_top = top;
    std::string sub = fs::path(cfg.module_dir).lexically_normal().lexically_relative(fs::path(top).lexically_normal()).string();
    in.git_subdir = sub.empty() ? "." : sub;
  }
  in.outputs = built_outputs(results, out_base);
  // The main module's source tree as Go's module zip would hold it, without what gobuild
  // itself writes there: every output of the config, the provenance and checksums files, and
  // vendor/ (made from go.mod and go.sum, whose modules are listed one by one).
  in.main_module = go_mod_module_path(cfg.module_dir);
  std::vector<std::string> excluded{"vendor"};
  auto exclude = [&](const fs::path& p) {
    std::string rel = from_module(p).string();
    if (!rel.empty() && rel != "." && !starts_with(rel, "../") && rel != "..") excluded.push_back(rel);
  };
  for (const auto& j : select_jobs(cfg, {}, {})) exclude(j.abs_output);
  if (!o.provenance.empty()) exclude(o.provenance);
  if (!o.checksums.empty()) exclude(o.checksums);
  // Go's sums name files MODULE@VERSION/PATH; the build info's version of the main module is
  // "(devel)" (gobuild builds with -buildvcs=false), so that is the version named.
  try {
    in.main_dirhash = dirhash_h1(cfg.module_dir, module_files(cfg.module_dir, excluded),
                                 in.main_module + "@" + in.main_version);
  } catch (const std::exception& e) {
    // An unreadable file: the statement is still written, without the main module's hash.
    print_stderr_line(std::string("gobuild: warning: the main module's dirHash is not recorded: ") + e.what());
  }
  paths_from_cwd(in.outputs, out_base); // subjects named as --checksums names them
  in.sandbox = sandbox_name(sandbox);
  // A build from vendor/ records no sums: go.sum's stand for the vendored sources only when
  // gobuild checked vendor/ against what `go mod vendor` writes (or wrote it itself).
  in.go_sum = !cfg.vendor || vendor_checked ? read_go_sum(cfg.module_dir) : std::string();
  in.started = started;
  in.finished = finished;
  in.cache_prog = o.cache_prog;
  return provenance_statement(in);
}

/// What the steps of `gobuild build` share. Built in place and never moved: jobs and ctx point
/// into loaded.cfg.
struct BuildRun {
  std::optional<std::int64_t> epoch; ///< SOURCE_DATE_EPOCH
  std::int64_t started = 0;
  std::vector<ResolvedStamp> stamps;
  Loaded loaded;
  std::vector<Job> jobs;
  BuildContext ctx;
  std::string toolchain_version;
  std::vector<JobResult> results;
  std::vector<std::optional<ReproVerdict>> reproducible; ///< one per job
  bool all_ok = true;
  bool any_interrupted = false;
};

/// Where the report goes and how: colour decided per stream (--color, NO_COLOR), live progress
/// on a terminal (stderr), plain lines on a pipe.
struct ReportStreams {
  bool err_color = false;
  std::FILE* report = stdout; ///< stdout, or stderr when stdout holds the --json document
  bool report_color = false;
  bool live = false;
};

ReportStreams choose_streams(const BuildOptions& o) {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  const bool err_tty = ::isatty(STDERR_FILENO) == 1;
  ReportStreams s;
  s.err_color = use_color(o.common.color, err_tty, no_color);
  s.report = o.common.json ? stderr : stdout;
  s.report_color = use_color(o.common.color, ::isatty(::fileno(s.report)) == 1, no_color);
  s.live = err_tty && !o.common.quiet && !(term && std::string(term) == "dumb");
  return s;
}

// Load and stamp: the config with its stamps expanded, the jobs and the build context; usage
// errors (an invalid SOURCE_DATE_EPOCH first) throw before anything runs.
void load_and_stamp(const BuildOptions& o, BuildRun& run) {
  run.epoch = source_date_epoch(std::getenv("SOURCE_DATE_EPOCH"));
  run.started = run.epoch ? *run.epoch : static_cast<std::int64_t>(std::time(nullptr));
  run.loaded = load_stamped(o, run.stamps);
  const Config& cfg = run.loaded.cfg;
  run.jobs = select_jobs(cfg, run.loaded.targets, o.platforms);
  run.ctx = make_context(cfg, o);
  run.ctx.prefix_lines = run.jobs.size() > 1 && o.common.jobs > 1;
}

// Announce: the toolchain had (fetched if pinned and missing), its line, the go.mod warning, the
// stamps and sandbox lines, and a killed run's leftovers swept; false when interrupted.
bool announce(const BuildOptions& o, BuildRun& run) {
  const Config& cfg = run.loaded.cfg;
  if (interrupted()) return false;
  run.toolchain_version = ensure_toolchain(run.ctx);
  if (interrupted()) return false;
  if (!o.common.quiet)
    print_stderr_line("gobuild: " + toolchain_line(cfg.go, run.toolchain_version) +
                      (cfg.go_mod ? ", read from go.mod by go: mod" : ""));
  if (!o.common.quiet && !cfg.go) {
    const std::string warning = go_mod_newer_warning(
        read_file_if_exists(cfg.module_dir + "/go.mod").value_or(""), run.toolchain_version);
    if (!warning.empty()) print_stderr_line("gobuild: " + warning);
  }
  if (!o.common.quiet && !run.stamps.empty()) print_stderr_line("gobuild: " + stamps_line(run.stamps));
  run.ctx.sandbox = choose_sandbox(o);
  if (!o.common.quiet) print_stderr_line("gobuild: " + sandbox_line(o, run.ctx.sandbox));
  // What a run killed by SIGKILL left: its temporary outputs, its scratch directories.
  std::vector<std::string> dirs{scratch_parent(run.ctx.host)};
  for (const auto& j : run.jobs) dirs.push_back(boost::filesystem::path(j.abs_output).parent_path().string());
  for (const auto& gone : sweep_dead_temporaries(dirs))
    if (!o.common.quiet) print_stderr_line("gobuild: removed " + gone + ", left by a killed run");
  return true;
}

// Vendor: `go mod vendor` (or `vendor: check`) when the config vendors, `go mod download` for
// the drop-in without vendor/; the exit code when it failed and nothing is to be built (with
// the --json document), nullopt to go on.
std::optional<int> vendor_or_stop(const BuildOptions& o, BuildRun& run) {
  int vendor_exit = static_cast<int>(Exit::failed);
  const Config& cfg = run.loaded.cfg;
  const bool ok = cfg.vendor ? run_vendor_step(run.ctx, false, &vendor_exit)
                             : !run.loaded.dropin || run_download_step(run.ctx, &vendor_exit);
  if (ok) return std::nullopt;
  if (interrupted()) return static_cast<int>(Exit::interrupted);
  // Nothing was built; --json still gets its document.
  if (o.common.json)
    std::printf("%s\n",
                json_text(nlohmann::ordered_json{{"outputs", nlohmann::ordered_json::array()}, {"ok", false}}).c_str());
  return vendor_exit;
}

// Build: every job, with a live line per running build on a terminal; run.results.
void build_all(const BuildOptions& o, const ReportStreams& s, BuildRun& run) {
  BuildContext& ctx = run.ctx;
  std::optional<LiveProgress> progress;
  std::optional<ProgressTicker> ticker;
  StderrSinkReset sink_reset;
  if (s.live) {
    LiveProgress& p = progress.emplace(
        [](const std::string& text) {
          std::fputs(text.c_str(), stderr);
          std::fflush(stderr);
        },
        [] { return std::chrono::steady_clock::now(); }, terminal_size().first,
        terminal_size().second);
    ctx.on_job_start = [&p](std::size_t i, const Job& j) {
      p.started(i, j.target->name, j.platform.str());
    };
    ctx.on_job_done = [&p](std::size_t i, const JobResult& r) { p.finished(i, r.ok); };
    if (run.jobs.size() > static_cast<std::size_t>(o.common.jobs)) p.set_total(run.jobs.size());
    const bool err_color = s.err_color;
    set_stderr_sink([&p, err_color](const std::string& line) {
      p.message(colorize_message(line, err_color));
    });
    ticker.emplace(p);
  }
  run.results = run_jobs(ctx, run.jobs, o.common.jobs);
  ctx.on_job_start = nullptr; // the reproducibility check's second build is not shown live
  ctx.on_job_done = nullptr;
  if (ticker) ticker->stop(); // clears the live lines
}

// Report of the builds: each job's problems (-q: errors only) and its result line, or the
// closing table after live progress; sets run.all_ok and run.any_interrupted.
void report_results(const BuildOptions& o, const ReportStreams& s, BuildRun& run) {
  run.any_interrupted = interrupted();
  for (const auto& r : run.results) {
    run.any_interrupted = run.any_interrupted || r.interrupted;
    run.all_ok = run.all_ok && r.ok;
    for (const auto& p : r.problems)
      if (p.is_error() || !o.common.quiet) print_stderr_line(problem_line(p, s.err_color)); // -q: errors only
    if (r.ok && !o.common.quiet && !s.live) {
      if (o.common.json)
        print_stderr_line(result_line(r));
      else
        std::printf("%s\n", result_line(r).c_str());
    }
  }
  if (s.live && !run.any_interrupted && !run.results.empty()) {
    std::fputs(render_table(run.results, s.report_color).c_str(), s.report);
    std::fflush(s.report);
  }
}

// Reproducibility check (--check-reproducible): the second build and its verdicts, which close
// the report; a difference makes the run fail.
void reproducibility(const BuildOptions& o, const ReportStreams& s, BuildRun& run) {
  run.reproducible.assign(run.results.size(), std::nullopt);
  if (!o.check_reproducible || run.any_interrupted) return;
  run.reproducible = check_reproducible(run.loaded.cfg, run.ctx, run.jobs, run.results, o.common.jobs,
                                        o.no_sandbox);
  run.any_interrupted = interrupted();
  // The verdicts close the report: stdout, or stderr when stdout holds the --json document.
  for (const auto& v : run.reproducible) {
    if (!v) continue;
    if (!v->identical) run.all_ok = false;
    if (run.any_interrupted) continue;
    for (const auto& line : v->lines) std::fprintf(s.report, "%s\n", line.c_str());
  }
  std::fflush(s.report);
}

// Provenance and checksums: --checksums and --provenance written; the statement, also wanted
// by the --json report.
std::optional<nlohmann::ordered_json> write_attestations(const BuildOptions& o, const BuildRun& run) {
  const Config& cfg = run.loaded.cfg;
  if (!o.checksums.empty()) {
    // Paths relative to the directory gobuild runs in (after -C), where `sha256sum -c` runs.
    std::vector<BuiltOutput> outputs = built_outputs(run.results);
    paths_from_cwd(outputs, cfg.out_dir);
    write_file_atomic(o.checksums, checksum_lines(outputs));
  }
  std::optional<nlohmann::ordered_json> statement;
  if (!o.provenance.empty() || o.common.json)
    statement = provenance_of(o, cfg, run.results, run.stamps, run.started,
                              run.epoch ? *run.epoch : static_cast<std::int64_t>(std::time(nullptr)),
                              run.ctx.sandbox, cfg.vendor);
  if (!o.provenance.empty()) write_file_atomic(o.provenance, json_text(*statement) + "\n");
  return statement;
}

// Report (--json): the document on stdout.
void print_json_report(const BuildOptions& o, const BuildRun& run, const nlohmann::ordered_json& statement) {
  const Config& cfg = run.loaded.cfg;
  const auto& reproducible = run.reproducible;
  nlohmann::ordered_json doc;
  doc["outputs"] = nlohmann::ordered_json::array();
  for (size_t i = 0; i < run.results.size(); ++i) {
    nlohmann::ordered_json j = result_json(run.results[i]);
    if (o.check_reproducible)
    {
      j["reproducible"] = reproducible[i] ? nlohmann::ordered_json(reproducible[i]->identical)
                                          : nlohmann::ordered_json(nullptr);
      if (reproducible[i] && !reproducible[i]->identical) j["difference"] = reproducible[i]->json;
    }
    doc["outputs"].push_back(j);
  }
  doc["toolchain"] = {{"go_version", run.toolchain_version},
                      {"go_pin", cfg.go ? nlohmann::ordered_json(*cfg.go) : nlohmann::ordered_json(nullptr)},
                      {"GOTOOLCHAIN", run.ctx.toolchain}};
  // What `gobuild merge` needs to combine the reports of shards built apart: the config
  // they share, the stamps, the cache program and the statement --provenance would write.
  doc["config"] = {{"path", cfg.file}, {"sha256", sha256_file(cfg.file)}};
  nlohmann::ordered_json stamp_doc = nlohmann::ordered_json::object();
  for (const auto& st : run.stamps) stamp_doc[st.name] = st.value;
  doc["stamps"] = stamp_doc;
  doc["cache_prog"] = o.cache_prog.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(o.cache_prog);
  doc["provenance"] = statement;
  doc["sandbox"] = sandbox_name(run.ctx.sandbox);
  doc["ok"] = run.all_ok;
  std::printf("%s\n", json_text(doc).c_str());
}

// The exit code of a run that was not interrupted: 0 when all is well; 3 when every failure is
// a disk that filled up (the environment's), else 1.
int exit_code(const BuildRun& run) {
  if (run.all_ok) return static_cast<int>(Exit::ok);
  // Only a full disk: the build step has no network, and a module missing from the cache
  // (vendor: false) is not something a retry mends.
  bool disk_full = true;
  for (const auto& r : run.results)
    if (!r.ok)
      disk_full = disk_full && std::any_of(r.problems.begin(), r.problems.end(), [](const Problem& p) {
                    return p.is_error() && p.message.find("no space left on device") != std::string::npos;
                  });
  for (const auto& v : run.reproducible) disk_full = disk_full && (!v || v->identical);
  return static_cast<int>(disk_full ? Exit::environment : Exit::failed);
}

} // namespace

int run_build(const BuildOptions& o) {
  BuildRun run;
  load_and_stamp(o, run);
  if (!announce(o, run)) return static_cast<int>(Exit::interrupted);
  if (std::optional<int> stopped = vendor_or_stop(o, run)) return *stopped;
  const ReportStreams streams = choose_streams(o);
  build_all(o, streams, run);
  report_results(o, streams, run);
  reproducibility(o, streams, run);
  if (run.any_interrupted) {
    print_stderr_line("gobuild: interrupted");
    return static_cast<int>(Exit::interrupted);
  }
  std::optional<nlohmann::ordered_json> statement = write_attestations(o, run);
  if (o.common.json) print_json_report(o, run, *statement);
  std::fflush(stdout);
  return exit_code(run);
}

int run_plan(const BuildOptions& o) {
  std::vector<ResolvedStamp> stamps;
  const Loaded loaded = load_stamped(o, stamps);
  const Config& cfg = loaded.cfg;
  std::vector<Job> jobs = select_jobs(cfg, loaded.targets, o.platforms);
  BuildContext ctx = make_context(cfg, o);
  // The set-up step: go mod vendor, or for the drop-in without vendor/, go mod download.
  std::optional<PinnedEnv> vendor;
  if (cfg.vendor || loaded.dropin) vendor = vendor_environment(ctx.host, ctx.toolchain);
  const std::vector<std::string> setup_argv =
      cfg.vendor ? go_vendor_argv() : std::vector<std::string>{"go", "mod", "download"};
  if (!o.common.json) {
    std::string text;
    if (vendor) text += command_line(vendor->env, setup_argv, cfg.module_dir) + "\n";
    for (const auto& j : jobs) {
      EnvList env = with_cache_prog(
          build_environment(ctx.host, cfg, *j.target, j.platform, ctx.toolchain).env, ctx.cache_prog);
      text += command_line(env, go_build_argv(*j.target, j.abs_output), cfg.module_dir) + "\n";
    }
    // Without a config: the gobuild.yaml these steps amount to, to keep and build from.
    if (loaded.dropin) text += "# the gobuild.yaml these steps amount to:\n" + emit_config(cfg);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return static_cast<int>(Exit::ok);
  }
  // plan --json (doc/ci.md): the jobs a CI system fans out (one `gobuild TARGET --platform P` each), and what
  // the shards must share for `gobuild merge` to accept them: the config digest and toolchain.
  auto env_json = [](const EnvList& env) {
    nlohmann::ordered_json e = nlohmann::ordered_json::object();
    for (const auto& kv : env) e[kv.first] = kv.second;
    return e;
  };
  nlohmann::ordered_json doc;
  if (loaded.dropin) // no file: the gobuild.yaml these steps amount to, to keep and build from
    doc["config"] = {{"path", nullptr}, {"sha256", nullptr}, {"yaml", emit_config(cfg)}};
  else
    doc["config"] = {{"path", cfg.file}, {"sha256", sha256_file(cfg.file)}};
  doc["toolchain"] = {{"go_pin", cfg.go ? nlohmann::ordered_json(*cfg.go) : nlohmann::ordered_json(nullptr)},
                      {"GOTOOLCHAIN", ctx.toolchain}};
  doc["cache_prog"] = o.cache_prog.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(o.cache_prog);
  doc["cwd"] = cfg.module_dir;
  if (vendor)
    doc["vendor"] = {{"env", env_json(vendor->env)},
                     {"argv", setup_argv},
                     {"line", command_line(vendor->env, setup_argv, cfg.module_dir)}};
  else
    doc["vendor"] = nullptr;
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& j : jobs) {
    EnvList env = with_cache_prog(
        build_environment(ctx.host, cfg, *j.target, j.platform, ctx.toolchain).env, ctx.cache_prog);
    std::vector<std::string> argv = go_build_argv(*j.target, j.abs_output);
    nlohmann::ordered_json s;
    s["target"] = j.target->name;
    s["platform"] = j.platform.str();
    s["output"] = j.output;
    s["env"] = env_json(env);
    s["argv"] = argv;
    s["line"] = command_line(env, argv, cfg.module_dir);
    list.push_back(std::move(s));
  }
  doc["jobs"] = std::move(list);
  std::printf("%s\n", json_text(doc).c_str());
  return static_cast<int>(Exit::ok);
}

int run_vendor(const BuildOptions& o) {
  const Loaded loaded = load(o);
  const Config& cfg = loaded.cfg;
  if (!cfg.vendor && loaded.dropin) {
    print_stderr_line("gobuild: no vendor/ in " + cfg.module_dir +
                      "; without a gobuild.yaml, gobuild vendors only where vendor/ exists");
    return static_cast<int>(Exit::ok);
  }
  if (!cfg.vendor) {
    print_stderr_line("gobuild: " + cfg.file + " sets vendor: false; nothing to do");
    return static_cast<int>(Exit::ok);
  }
  BuildContext ctx = make_context(cfg, o);
  int code = static_cast<int>(Exit::failed);
  if (run_vendor_step(ctx, true, &code)) return static_cast<int>(Exit::ok);
  return interrupted() ? static_cast<int>(Exit::interrupted) : code;
}

int run_env(const BuildOptions& o) {
  const Loaded loaded = load(o);
  const Config& cfg = loaded.cfg;
  std::vector<Job> jobs = select_jobs(cfg, loaded.targets, o.platforms);
  if (jobs.empty()) throw UsageError("no target to show the environment of");
  BuildContext ctx = make_context(cfg, o);
  // The build step of the first selected target and platform; name others to see theirs.
  const Job& j = jobs.front();
  PinnedEnv env = build_environment(ctx.host, cfg, *j.target, j.platform, ctx.toolchain);
  env.env = with_cache_prog(env.env, ctx.cache_prog);
  const Sandbox sandbox = choose_sandbox(o);
  if (o.common.json) {
    nlohmann::ordered_json e = nlohmann::ordered_json::object();
    for (const auto& kv : env.env) e[kv.first] = kv.second;
    nlohmann::ordered_json doc;
    doc["env"] = e;
    doc["dropped"] = env.dropped;
    doc["sandbox"] = sandbox_name(sandbox);
    std::printf("%s\n", json_text(doc).c_str());
    return static_cast<int>(Exit::ok);
  }
  std::printf("# build environment of %s %s\n", j.target->name.c_str(), j.platform.str().c_str());
  std::string line = sandbox_line(o, sandbox);
  if (starts_with(line, "warning: ")) line = line.substr(9);
  std::printf("# %s\n", line.c_str());
  for (const auto& kv : env.env) std::printf("%s=%s\n", kv.first.c_str(), shell_quote(kv.second).c_str());
  std::printf("# dropped: %s\n", join(env.dropped, " ").c_str());
  return static_cast<int>(Exit::ok);
}

} // namespace gobuild
