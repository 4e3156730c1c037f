// gobuild build, plan, vendor and env: the CLI face of the build pipeline (src/driver/).
#include <chrono>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>
#include <utility>

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "gobuild/attest/compare.hpp"
#include "gobuild/attest/provenance.hpp"
#include "gobuild/driver/command.hpp"
#include "gobuild/driver/environment.hpp"
#include "gobuild/driver/pipeline.hpp"
#include "gobuild/driver/process.hpp"
#include "gobuild/cli/commands.hpp"
#include "gobuild/cli/progress.hpp"
#include "gobuild/config/config.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/json.hpp"
#include "gobuild/util/sha256.hpp"
#include "gobuild/util/shell.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {

namespace {

Config load(const BuildOptions& o) {
  LoadOptions lo;
  lo.allow_cc = o.allow_cc;
  return load_config(o.common.config, lo);
}

BuildContext make_context(const Config& cfg, const BuildOptions& o) {
  BuildContext ctx;
  ctx.cfg = &cfg;
  ctx.host = host_environment();
  ctx.toolchain = resolve_toolchain(cfg, ctx.host);
  ctx.verbose = o.common.verbose;
  ctx.quiet = o.common.quiet;
  return ctx;
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
  return fmt::format("{}  {}  {}  sha256:{}  {}  {}  {} ms", r.path, r.platform,
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
  j["problems"] = r.problems;
  return j;
}

std::vector<BuiltOutput> built_outputs(const std::vector<JobResult>& results) {
  std::vector<BuiltOutput> out;
  for (const auto& r : results) {
    if (!r.ok) continue;
    BuiltOutput b;
    b.target = r.target;
    b.platform = r.platform;
    b.path = r.path;
    b.sha256 = r.sha256;
    b.env = r.env;
    b.argv = r.argv;
    b.go = r.go;
    out.push_back(std::move(b));
  }
  return out;
}

/// --provenance (doc/provenance.md): the in-toto statement for the outputs that were built.
void write_provenance(const BuildOptions& o, const Config& cfg, const std::vector<JobResult>& results,
                      std::int64_t started, std::int64_t finished) {
  ProvenanceInput in;
  in.config_path = cfg.file;
  in.config_sha256 = sha256_file(cfg.file);
  in.go_pin = cfg.go;
  for (const auto& r : results)
    if (r.ok && !r.go_version.empty()) {
      in.go_version = r.go_version;
      break;
    }
  std::string top;
  in.git_commit = git_head_commit(cfg.module_dir, &top);
  if (in.git_commit) in.git_uri = "git+file://" + top;
  in.outputs = built_outputs(results);
  paths_from_cwd(in.outputs, cfg.dir); // subjects named as --checksums names them
  in.go_sum = read_go_sum(cfg.module_dir); // a build from vendor/ records no sums
  in.started = started;
  in.finished = finished;
  write_file_atomic(o.provenance, json_text(provenance_statement(in)) + "\n");
}

/// Copies the module tree (without .git) for the second build of --check-reproducible.
void copy_tree(const boost::filesystem::path& from, const boost::filesystem::path& to) {
  namespace fs = boost::filesystem;
  fs::create_directories(to);
  const std::string base = from.string();
  for (fs::recursive_directory_iterator it(from), end; it != end; ++it) {
    const fs::path& p = it->path();
    if (it.depth() == 0 && p.filename() == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    fs::path dst = to / p.string().substr(base.size());
    fs::file_status st = it->symlink_status();
    if (fs::is_symlink(st))
      fs::copy_symlink(p, dst);
    else if (fs::is_directory(st))
      fs::create_directories(dst);
    else if (fs::is_regular_file(st))
      fs::copy_file(p, dst);
  }
}

/// --check-reproducible (doc/build.md): builds every job again from a copy of the module at another path, with another
/// HOME and TMPDIR, an empty GOCACHE, TZ and LANG changed and umask 077, and compares each
/// output with the first build's byte for byte. The first build's outputs are kept. Returns
/// one verdict per job (nullopt for a job whose first build failed).
std::vector<std::optional<bool>> check_reproducible(const Config& cfg, const BuildContext& ctx,
                                                    const std::vector<Job>& jobs,
                                                    const std::vector<JobResult>& first,
                                                    int parallel) {
  namespace fs = boost::filesystem;
  std::vector<std::optional<bool>> verdicts(jobs.size());
  std::string dir = make_scratch_dir(ctx.host, "gobuild-repro");
  if (dir.empty()) throw BuildFailure(std::string("cannot create a scratch directory: ") + std::strerror(errno));
  TempPath scratch(dir); // removed, with everything in it, when done or interrupted
  fs::path root(scratch.path());

  Config cfg2 = cfg;
  fs::path module_copy = root / "elsewhere" / fs::path(cfg.module_dir).filename();
  copy_tree(cfg.module_dir, module_copy);
  cfg2.module_dir = module_copy.string();

  BuildContext ctx2 = ctx;
  ctx2.cfg = &cfg2;
  for (const char* d : {"home", "tmp", "gocache"}) fs::create_directories(root / d);
  // The module cache stays: it holds the modules (checked by go.sum) and a toolchain that
  // go: fetched (the build step has GOPROXY=off, so another HOME could not fetch it again).
  if (!ctx2.host.count("GOMODCACHE")) {
    auto gp = ctx.host.find("GOPATH");
    auto home = ctx.host.find("HOME");
    if (gp != ctx.host.end() && !gp->second.empty())
      ctx2.host["GOMODCACHE"] = split(gp->second, ':').front() + "/pkg/mod";
    else if (home != ctx.host.end() && !home->second.empty())
      ctx2.host["GOMODCACHE"] = home->second + "/go/pkg/mod";
  }
  ctx2.host["HOME"] = (root / "home").string();
  ctx2.host["TMPDIR"] = (root / "tmp").string();
  ctx2.host["GOCACHE"] = (root / "gocache").string();
  // The pinned environment drops these anyway; changing them shows that it does.
  ctx2.host["TZ"] = "Pacific/Chatham";
  ctx2.host["LANG"] = "tr_TR.UTF-8";

  std::vector<Job> jobs2;
  std::vector<size_t> index;
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (!first[i].ok) continue;
    Job j = jobs[i];
    j.abs_output = (root / "out" / std::to_string(i) / fs::path(j.abs_output).filename()).string();
    jobs2.push_back(j);
    index.push_back(i);
  }
  if (jobs2.empty()) return verdicts;
  print_stderr_line("gobuild: building again from " + module_copy.string() +
                    " to check reproducibility");
  mode_t old_umask = ::umask(077);
  std::vector<JobResult> second = run_jobs(ctx2, jobs2, parallel);
  ::umask(old_umask);
  if (interrupted()) return verdicts;

  for (size_t k = 0; k < jobs2.size(); ++k) {
    size_t i = index[k];
    const JobResult& r1 = first[i];
    if (!second[k].ok) {
      for (const auto& p : second[k].problems) print_stderr_line("gobuild: error: (second build) " + p);
      verdicts[i] = false;
      continue;
    }
    ReproDiff d = compare_builds(jobs[i].abs_output, jobs2[k].abs_output);
    verdicts[i] = d.identical;
    if (d.identical) {
      print_stderr_line("gobuild: " + r1.path + ": reproducible: sha256:" + r1.sha256);
      continue;
    }
    print_stderr_line("gobuild: error: " + r1.path + ": not reproducible: sha256:" + r1.sha256 +
                      " then sha256:" + second[k].sha256 + "; first difference at " + d.where);
    for (const auto& line : d.buildinfo_diff) print_stderr_line("  " + line);
    for (const auto& c : d.likely_causes) print_stderr_line("  likely cause: " + c);
  }
  return verdicts;
}

} // namespace

int run_build(const BuildOptions& o) {
  // An invalid SOURCE_DATE_EPOCH is a usage error before anything is built.
  std::optional<std::int64_t> epoch = source_date_epoch(std::getenv("SOURCE_DATE_EPOCH"));
  const std::int64_t started = epoch ? *epoch : static_cast<std::int64_t>(std::time(nullptr));
  Config cfg = load(o);
  std::vector<Job> jobs = select_jobs(cfg, o.targets, o.platforms);
  BuildContext ctx = make_context(cfg, o);
  ctx.prefix_lines = jobs.size() > 1 && o.common.jobs > 1;
  if (interrupted()) return static_cast<int>(Exit::interrupted);
  // The toolchain is had (fetched if pinned and missing) before anything is built.
  const std::string toolchain_version = ensure_toolchain(ctx);
  if (interrupted()) return static_cast<int>(Exit::interrupted);
  if (!o.common.quiet) print_stderr_line("gobuild: " + toolchain_line(cfg.go, toolchain_version));
  if (cfg.vendor && !run_vendor_step(ctx, false)) {
    if (interrupted()) return static_cast<int>(Exit::interrupted);
    // Nothing was built; --json still gets its document.
    if (o.common.json)
      std::printf("%s\n",
                  json_text(nlohmann::ordered_json{{"outputs", nlohmann::ordered_json::array()}, {"ok", false}}).c_str());
    return static_cast<int>(Exit::failed);
  }

  // On a terminal (stderr), a live line per running build and a closing table; on a
  // pipe, plain lines. Colour is decided per stream (--color, NO_COLOR).
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  const bool err_tty = ::isatty(STDERR_FILENO) == 1;
  const bool err_color = use_color(o.common.color, err_tty, no_color);
  std::FILE* report_stream = o.common.json ? stderr : stdout;
  const bool report_color =
      use_color(o.common.color, ::isatty(::fileno(report_stream)) == 1, no_color);
  const bool live = err_tty && !o.common.quiet && !(term && std::string(term) == "dumb");
  std::vector<JobResult> results;
  {
    std::optional<LiveProgress> progress;
    std::optional<ProgressTicker> ticker;
    StderrSinkReset sink_reset;
    if (live) {
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
      ctx.on_job_done = [&p](std::size_t i, const JobResult&) { p.finished(i); };
      set_stderr_sink([&p, err_color](const std::string& line) {
        p.message(colorize_message(line, err_color));
      });
      ticker.emplace(p);
    }
    results = run_jobs(ctx, jobs, o.common.jobs);
    ctx.on_job_start = nullptr; // the reproducibility check's second build is not shown live
    ctx.on_job_done = nullptr;
    if (ticker) ticker->stop(); // clears the live lines
  }

  bool all_ok = true;
  bool any_interrupted = interrupted();
  for (const auto& r : results) {
    any_interrupted = any_interrupted || r.interrupted;
    all_ok = all_ok && r.ok;
    for (const auto& p : r.problems) {
      if (!starts_with(p, "warning: "))
        print_stderr_line(colorize_message("gobuild: error: " + p, err_color));
      else if (!o.common.quiet) // -q: errors only
        print_stderr_line(colorize_message("gobuild: " + p, err_color));
    }
    if (r.ok && !o.common.quiet && !live) {
      if (o.common.json)
        print_stderr_line(result_line(r));
      else
        std::printf("%s\n", result_line(r).c_str());
    }
  }
  if (live && !any_interrupted && !results.empty()) {
    std::fputs(render_table(results, report_color).c_str(), report_stream);
    std::fflush(report_stream);
  }
  std::vector<std::optional<bool>> reproducible(results.size());
  if (o.check_reproducible && !any_interrupted) {
    reproducible = check_reproducible(cfg, ctx, jobs, results, o.common.jobs);
    any_interrupted = interrupted();
    for (const auto& v : reproducible)
      if (v && !*v) all_ok = false;
  }
  if (any_interrupted) {
    print_stderr_line("gobuild: interrupted");
    return static_cast<int>(Exit::interrupted);
  }
  if (!o.checksums.empty()) {
    // Paths relative to the directory gobuild runs in (after -C), where `sha256sum -c` runs.
    std::vector<BuiltOutput> outputs = built_outputs(results);
    paths_from_cwd(outputs, cfg.dir);
    write_file_atomic(o.checksums, checksum_lines(outputs));
  }
  if (!o.provenance.empty())
    write_provenance(o, cfg, results, started,
                     epoch ? *epoch : static_cast<std::int64_t>(std::time(nullptr)));
  if (o.common.json) {
    nlohmann::ordered_json doc;
    doc["outputs"] = nlohmann::ordered_json::array();
    for (size_t i = 0; i < results.size(); ++i) {
      nlohmann::ordered_json j = result_json(results[i]);
      if (o.check_reproducible)
        j["reproducible"] = reproducible[i] ? nlohmann::ordered_json(*reproducible[i])
                                            : nlohmann::ordered_json(nullptr);
      doc["outputs"].push_back(j);
    }
    doc["toolchain"] = {{"go_version", toolchain_version},
                        {"go_pin", cfg.go ? nlohmann::ordered_json(*cfg.go) : nlohmann::ordered_json(nullptr)},
                        {"GOTOOLCHAIN", ctx.toolchain}};
    doc["ok"] = all_ok;
    std::printf("%s\n", json_text(doc).c_str());
  }
  std::fflush(stdout);
  return static_cast<int>(all_ok ? Exit::ok : Exit::failed);
}

int run_plan(const BuildOptions& o) {
  Config cfg = load(o);
  std::vector<Job> jobs = select_jobs(cfg, o.targets, o.platforms);
  BuildContext ctx = make_context(cfg, o);
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  auto step = [&](const char* kind, const EnvList& env, const std::vector<std::string>& argv,
                  const std::string& cwd, const std::string& name, const std::string& platform) {
    if (!o.common.json) {
      std::printf("%s\n", command_line(env, argv, cwd).c_str());
      return;
    }
    nlohmann::ordered_json s;
    s["step"] = kind;
    if (!name.empty()) s["target"] = name;
    if (!platform.empty()) s["platform"] = platform;
    s["cwd"] = cwd;
    nlohmann::ordered_json e = nlohmann::ordered_json::object();
    for (const auto& kv : env) e[kv.first] = kv.second;
    s["env"] = e;
    s["argv"] = argv;
    s["line"] = command_line(env, argv, cwd);
    steps.push_back(s);
  };
  if (cfg.vendor)
    step("vendor", vendor_environment(ctx.host, ctx.toolchain).env, go_vendor_argv(),
         cfg.module_dir, "", "");
  for (const auto& j : jobs)
    step("build", build_environment(ctx.host, cfg, *j.target, j.platform, ctx.toolchain).env,
         go_build_argv(*j.target, j.abs_output), cfg.module_dir, j.target->name, j.platform.str());
  if (o.common.json) std::printf("%s\n", json_text(nlohmann::ordered_json{{"steps", steps}}).c_str());
  return static_cast<int>(Exit::ok);
}

int run_vendor(const BuildOptions& o) {
  Config cfg = load(o);
  if (!cfg.vendor) {
    print_stderr_line("gobuild: " + cfg.file + " sets vendor: false; nothing to do");
    return static_cast<int>(Exit::ok);
  }
  BuildContext ctx = make_context(cfg, o);
  if (run_vendor_step(ctx, true)) return static_cast<int>(Exit::ok);
  return static_cast<int>(interrupted() ? Exit::interrupted : Exit::failed);
}

int run_env(const BuildOptions& o) {
  Config cfg = load(o);
  std::vector<Job> jobs = select_jobs(cfg, o.targets, o.platforms);
  if (jobs.empty()) throw UsageError("no target to show the environment of");
  BuildContext ctx = make_context(cfg, o);
  // The build step of the first selected target and platform; name others to see theirs.
  const Job& j = jobs.front();
  PinnedEnv env = build_environment(ctx.host, cfg, *j.target, j.platform, ctx.toolchain);
  if (o.common.json) {
    nlohmann::ordered_json e = nlohmann::ordered_json::object();
    for (const auto& kv : env.env) e[kv.first] = kv.second;
    nlohmann::ordered_json doc;
    doc["env"] = e;
    doc["dropped"] = env.dropped;
    std::printf("%s\n", json_text(doc).c_str());
    return static_cast<int>(Exit::ok);
  }
  std::printf("# build environment of %s %s\n", j.target->name.c_str(), j.platform.str().c_str());
  for (const auto& kv : env.env) std::printf("%s=%s\n", kv.first.c_str(), shell_quote(kv.second).c_str());
  std::printf("# dropped: %s\n", join(env.dropped, " ").c_str());
  return static_cast<int>(Exit::ok);
}

} // namespace gobuild
