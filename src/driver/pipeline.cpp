#include "gobuild/driver/pipeline.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/filesystem.hpp>

#include "gobuild/binary/inspect.hpp"
#include "gobuild/binary/verify.hpp"
#include "gobuild/config/confine.hpp"
#include "gobuild/driver/command.hpp"
#include "gobuild/driver/diagnostics.hpp"
#include "gobuild/driver/settings.hpp"
#include "gobuild/driver/process.hpp"
#include "gobuild/driver/vendor.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/fd.hpp"
#include "gobuild/util/file.hpp"
#include "gobuild/util/sha256.hpp"
#include "gobuild/util/strings.hpp"

namespace fs = boost::filesystem;

namespace gobuild {

namespace {

/// Copies a file's bytes into an existing file, without the fdatasync that
/// boost::filesystem::copy_file does (2 ms a build): the copy only seeds a temporary that is
/// rebuilt and verified. copy_file_range where the kernel has it, read/write otherwise.
bool copy_contents(const std::string& from, const std::string& to) {
  Fd in(::open(from.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (!in) return false;
  Fd out(::open(to.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
  if (!out) return false;
  // The mode too: when go finds the seed up to date it leaves the file as it is, and the
  // temporary was made 0600.
  struct stat st;
  bool ok = ::fstat(in.get(), &st) == 0 && S_ISREG(st.st_mode) &&
            ::fchmod(out.get(), st.st_mode & 07777) == 0;
  for (; ok;) {
    ssize_t n = ::copy_file_range(in.get(), nullptr, out.get(), nullptr, 1 << 30, 0);
    if (n > 0) continue;
    if (n == 0) break;
    if (errno == EINTR) continue;
    if (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP) {
      ok = false;
      break;
    }
    char buf[1 << 16]; // no copy_file_range here: plain reads and writes from where it stopped
    for (;;) {
      ssize_t r = ::read(in.get(), buf, sizeof buf);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) {
        ok = r == 0;
        break;
      }
      for (ssize_t w = 0; w < r;) {
        ssize_t k = ::write(out.get(), buf + w, static_cast<size_t>(r - w));
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
          ok = false;
          break;
        }
        w += k;
      }
      if (!ok) break;
    }
    break;
  }
  return out.close() && ok;
}


std::mutex g_stderr_mutex;
std::function<void(const std::string&)> g_stderr_sink; // guarded by g_stderr_mutex

/// The directory outputs are relative to: --out-dir, else the config's (a Config made by hand
/// may leave out_dir empty).
const std::string& out_base(const Config& cfg) { return cfg.out_dir.empty() ? cfg.dir : cfg.out_dir; }

// go build overwrites an existing -o file only when it looks like an object file. False when
// there is none; UsageError "PATH: not a regular file" for a FIFO or a device (never a wait).
bool starts_with_elf_magic(const std::string& path) {
  boost::system::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) return false;
  FileSource src(path);
  return sniff_format(src) == Format::elf;
}

std::string fix_for(Linkage l) {
  switch (l) {
  case Linkage::dynamic:
    return "set cgo: false, or linkmode: external with extldflags: [-static]";
  case Linkage::shared_object:
    return "drop -buildmode=pie (or use linkmode: external with extldflags: [-static-pie])";
  default:
    return "";
  }
}

} // namespace

void set_stderr_sink(std::function<void(const std::string&)> sink) {
  std::lock_guard<std::mutex> lock(g_stderr_mutex);
  g_stderr_sink = std::move(sink);
}

void print_stderr_line(const std::string& line) {
  std::lock_guard<std::mutex> lock(g_stderr_mutex);
  if (g_stderr_sink) {
    g_stderr_sink(line);
    return;
  }
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

Platform host_platform() {
  // One table of what gobuild was compiled for: the config's (it checks output collisions of
  // targets without platforms against the same host).
  return compiled_host_platform();
}

std::vector<Job> select_jobs(const Config& cfg, const std::vector<std::string>& targets,
                             const std::vector<std::string>& platforms) {
  std::vector<std::string> names;
  for (const auto& t : cfg.targets) names.push_back(t.name);
  for (const auto& want : targets)
    if (std::find(names.begin(), names.end(), want) == names.end())
      throw UsageError("no target named '" + want + "' in " + cfg.file + " (targets: " +
                       join(names, ", ") + ")");
  std::vector<Platform> wanted;
  for (const auto& s : platforms) {
    auto parts = split(s, '/');
    const bool empty = std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); });
    if (parts.size() < 2 || parts.size() > 3 || empty)
      throw UsageError("--platform " + s + ": expected OS/ARCH or OS/ARCH/VARIANT, like linux/amd64 or linux/arm/v7");
    wanted.push_back(Platform{parts[0], parts[1], parts.size() == 3 ? parts[2] : ""});
  }
  // --platform linux/arm/v7 names that variant alone; linux/arm names the target's linux/arm
  // when it lists one without a variant (so that a CI shard of plan --json's linux/amd64 does
  // not build linux/amd64/v3 too), else every variant of linux/arm.
  auto matches = [](const Platform& want, const Platform& p, const std::vector<Platform>& listed) {
    if (want.os != p.os || want.arch != p.arch) return false;
    if (!want.variant.empty()) return want.variant == p.variant;
    const bool plain_listed = std::any_of(listed.begin(), listed.end(), [&want](const Platform& q) {
      return q.os == want.os && q.arch == want.arch && q.variant.empty();
    });
    return !plain_listed || p.variant.empty();
  };
  std::vector<Job> jobs;
  std::vector<bool> platform_used(wanted.size(), false);
  std::vector<std::string> available;
  for (const auto& t : cfg.targets) {
    if (!targets.empty() && std::find(targets.begin(), targets.end(), t.name) == targets.end())
      continue;
    std::vector<Platform> ps = t.platforms;
    if (ps.empty()) ps.push_back(host_platform());
    for (const auto& p : ps) {
      if (std::find(available.begin(), available.end(), p.str()) == available.end())
        available.push_back(p.str());
      if (!wanted.empty()) {
        bool any = false;
        for (size_t w = 0; w < wanted.size(); ++w)
          if (matches(wanted[w], p, ps)) any = platform_used[w] = true;
        if (!any) continue;
      }
      Job j;
      j.target = &t;
      j.platform = p;
      j.output = expand_output(t, p);
      j.abs_output = fs::path(j.output).is_absolute() ? j.output
                                                      : (fs::path(out_base(cfg)) / j.output).string();
      jobs.push_back(j);
    }
  }
  for (size_t i = 0; i < wanted.size(); ++i)
    if (!platform_used[i])
      throw UsageError("--platform " + wanted[i].str() + ": not a platform of the " +
                       (targets.empty() ? "config" : "selected targets") + " (platforms: " +
                       join(available, ", ") + ")");
  return jobs;
}

namespace {

/// `go mod ARGS...` (vendor, vendor -o DIR, download) in the module, with the vendoring step's
/// environment: the set-up step, the only one that may use the network. On failure says why,
/// with the exit code it deserves (3 when the proxy, the network or the disk failed) in
/// `exit_code`, and returns false.
bool run_go_mod(const BuildContext& ctx, const std::vector<std::string>& args, int* exit_code) {
  const Config& cfg = *ctx.cfg;
  PinnedEnv env = vendor_environment(ctx.host, ctx.toolchain);
  ProcessSpec spec;
  spec.argv = {"go", "mod"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.env = env.env;
  spec.cwd = cfg.module_dir;
  if (ctx.verbose) print_stderr_line(command_line(spec.env, spec.argv, spec.cwd));
  spec.on_line = [&ctx](std::string_view line) {
    if (!ctx.quiet) print_stderr_line(std::string(line));
  };
  ProcessResult r = run_process(spec);
  if (r.interrupted || interrupted()) return false;
  if (r.ok()) return true;
  if (ctx.quiet && !r.output.empty()) print_stderr_line(r.output);
  GoFailure kind = classify_go_failure(r.output);
  if (exit_code) *exit_code = exit_code_of(kind);
  print_stderr_line("gobuild: error: go mod " + args[0] + (args.size() > 1 ? " " + args[1] : "") + " failed (" +
                    r.status_text() + ") in " + cfg.module_dir +
                    (kind == GoFailure::environment
                         ? ": the module proxy, the network or the disk failed; retrying may help"
                         : kind == GoFailure::input ? ": the module's go.mod or go.sum is wrong" : ""));
  return false;
}

// `vendor: check`: what `go mod vendor -o SCRATCH` writes must be what vendor/ holds, file for
// file; vendor/ is never written (not even the stamp).
bool check_vendor_step(const BuildContext& ctx, bool announce, int* exit_code) {
  const Config& cfg = *ctx.cfg;
  std::string dir = make_scratch_dir(ctx.host, "gobuild-vendor");
  if (dir.empty()) {
    print_stderr_line(std::string("gobuild: error: cannot create a scratch directory: ") + std::strerror(errno));
    return false;
  }
  TempPath scratch(dir);
  const std::string fresh = dir + "/vendor";
  if (!run_go_mod(ctx, {"vendor", "-o", fresh}, exit_code)) return false;
  std::vector<std::string> diffs =
      vendor_differences(read_vendor_tree(fresh), read_vendor_tree(cfg.module_dir + "/vendor"));
  if (!diffs.empty()) {
    print_stderr_line("gobuild: error: vendor/ differs from what go mod vendor writes (vendor: check "
                      "never rewrites it; run go mod vendor, or set vendor: true):");
    for (const auto& d : diffs) print_stderr_line("  " + d);
    return false;
  }
  if (announce || ctx.verbose)
    print_stderr_line("gobuild: vendor/ is what go mod vendor writes, file for file");
  return true;
}

} // namespace

bool run_vendor_step(const BuildContext& ctx, bool announce_skip, int* exit_code) {
  const Config& cfg = *ctx.cfg;
  if (cfg.vendor_check) return check_vendor_step(ctx, announce_skip, exit_code);
  std::string why = check_vendor(cfg.module_dir);
  if (why.empty()) {
    if (announce_skip || ctx.verbose)
      print_stderr_line("gobuild: vendor/ is consistent with go.mod and go.sum; not vendoring");
    return true;
  }
  if (!ctx.quiet) print_stderr_line("gobuild: vendoring: " + why);
  if (!run_go_mod(ctx, {"vendor"}, exit_code)) return false;
  write_vendor_stamp(cfg.module_dir);
  // What go mod vendor wrote is now vendor/: checked again, so that no build runs from a
  // vendor/ that something changed meanwhile, or that go mod vendor could not bring in line.
  if (std::string still = check_vendor(cfg.module_dir); !still.empty()) {
    print_stderr_line("gobuild: error: vendor/ is still not consistent after go mod vendor: " + still);
    return false;
  }
  return true;
}

bool run_download_step(const BuildContext& ctx, int* exit_code) {
  if (!read_file_if_exists(ctx.cfg->module_dir + "/go.mod")) return true; // go list said why
  if (!ctx.quiet) print_stderr_line("gobuild: no vendor/: go mod download fills the module cache");
  return run_go_mod(ctx, {"download"}, exit_code);
}

namespace {

void add_error(JobResult& res, const Job& job, const std::string& msg) {
  res.problems.push_back(Problem::error(job.output + ": " + msg));
}

// Temporary: an empty file beside the job's output (same directory, so the install is a
// rename), seeded with the previous output when go build may keep it; false with the reason in res.
bool make_temporary(const Job& job, std::optional<TempPath>& tmp, JobResult& res) {
  const Target& t = *job.target;
  fs::path out(job.abs_output);
  boost::system::error_code ec;
  fs::create_directories(out.parent_path(), ec);
  if (ec) {
    add_error(res, job, "cannot create directory " + out.parent_path().string() + ": " + ec.message());
    return false;
  }
  if (fs::is_directory(out, ec)) {
    add_error(res, job, "the output path is a directory");
    return false;
  }
  // The run's pid in the name: a later run removes it if this one is killed.
  std::string templ = (out.parent_path() / ("." + out.filename().string() + ".gobuild-tmp-" +
                                            std::to_string(::getpid()) + "-XXXXXX"))
                          .string();
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  int fd = ::mkstemp(buf.data());
  if (fd < 0) {
    add_error(res, job, "cannot create a temporary file in " + out.parent_path().string() + ": " +
                            std::strerror(errno));
    return false;
  }
  ::close(fd);
  tmp.emplace(buf.data()); // go build replaces this empty file; removed unless renamed
  bool seed = false;
  try {
    seed = !rebuilds_all(t.build) && !t.build.cgo && starts_with_elf_magic(job.abs_output);
  } catch (const UsageError& e) { // "ABS_PATH: not a regular file" and the like
    const std::string why = e.what();
    add_error(res, job, why.substr(why.rfind(": ") + 2));
    return false;
  }
  if (seed) {
    // Seed the temp file with the previous output: when its build ID says it is what this
    // build would link, go build leaves it as it is instead of linking again (the link is
    // most of a cached build). It is verified all the same. Not with -a, which relinks anyway,
    // nor with cgo, whose link output carries the NSS warnings that must be shown every time.
    if (!copy_contents(out.string(), tmp->path())) fs::resize_file(tmp->path(), 0, ec);
  }
  return true;
}

// Build: the go build child, writing `tmp`, its lines shown as they come; records the pinned
// environment and argv in res; false when interrupted (res.interrupted) or when it failed.
bool build_into(const BuildContext& ctx, const Job& job, const std::string& tmp, JobResult& res) {
  const Target& t = *job.target;
  PinnedEnv env = build_environment(ctx.host, *ctx.cfg, t, job.platform, ctx.toolchain);
  ProcessSpec spec;
  spec.argv = go_build_argv(t, tmp);
  spec.env = with_cache_prog(env.env, ctx.cache_prog);
  // go build does not catch signals: stopped, it leaves its $WORK directory behind. Giving it a
  // directory of its own (GOTMPDIR; it never reaches the binary) that is a TempPath removes that
  // too. Not recorded in res.env: it is an implementation detail, not a build input.
  std::optional<TempPath> work;
  if (std::string dir = make_scratch_dir(ctx.host, "gobuild-work"); !dir.empty()) {
    work.emplace(dir);
    spec.env.emplace_back("GOTMPDIR", work->path());
  }
  spec.cwd = ctx.cfg->module_dir;
  spec.sandbox = ctx.sandbox;
  res.env = env.env;
  res.argv = go_build_argv(t, job.abs_output);
  if (ctx.verbose) print_stderr_line(command_line(spec.env, spec.argv, spec.cwd));
  std::string prefix = ctx.prefix_lines ? t.name + " " + job.platform.str() + "| " : "";
  spec.on_line = [&ctx, &prefix](std::string_view line) {
    if (!ctx.quiet) print_stderr_line(prefix + std::string(line));
  };
  ProcessResult r = run_process(spec);
  if (r.interrupted || interrupted()) {
    res.interrupted = true;
    return false;
  }

  LinkFindings findings = scan_link_output(r.output);
  for (const auto& fn : findings.nss_functions)
    res.problems.push_back(Problem::warning(nss_warning(t.name, fn), ProblemKind::nss));
  if (!r.ok()) {
    if (ctx.quiet && !r.output.empty()) print_stderr_line(r.output);
    add_error(res, job, "go build failed (" + r.status_text() + ")");
    for (const auto& m : missing_tool_errors(t.name, findings)) res.problems.push_back(Problem::error(m));
    return false;
  }
  return true;
}

// Verify: the built temporary's linkage, platform and Go build settings against the config,
// and the pinned go version, as problems in res; false when one of them is an error.
bool verify_built(const BuildContext& ctx, const Job& job, const std::string& tmp, JobResult& res) {
  const Target& t = *job.target;
  BinaryInfo info;
  try {
    info = inspect_file(tmp);
  } catch (const std::exception& e) {
    add_error(res, job, std::string("cannot read the built file: ") + e.what());
    return false;
  }
  res.linkage = std::string(to_string(info.linkage));
  if (info.go) res.go_version = info.go->version;
  res.go = info.go;

  VerifyPolicy policy;
  policy.static_mode = t.build.static_mode;
  Verdict verdict = judge(info, policy);
  for (Problem p : verdict.problems) {
    p.message = job.output + ": " + p.message;
    if (p.kind == ProblemKind::linkage) p.hint = fix_for(info.linkage);
    res.problems.push_back(std::move(p));
  }
  for (const auto& p : check_platform(info, job.platform)) add_error(res, job, p);
  for (const auto& p : check_settings(info.go, t, job.platform)) add_error(res, job, p);
  if (!go_version_matches(ctx.cfg->go, res.go_version))
    add_error(res, job,
              "built by " + (res.go_version.empty() ? std::string("an unknown go") : res.go_version) +
                  ", but go: \"" + *ctx.cfg->go + "\" pins go" + *ctx.cfg->go +
                  (is_exact_go_version(*ctx.cfg->go) ? "" : ".x"));
  return !any_error(res.problems);
}

// Install: the verified temporary's digest and size into res, the output path checked once
// more, then renamed onto it (atomic: the old output or the new one, never half of one).
void install(const BuildContext& ctx, const Job& job, TempPath& tmp, JobResult& res) {
  try {
    res.sha256 = sha256_file(tmp.path());
    res.size = static_cast<std::uint64_t>(fs::file_size(tmp.path()));
  } catch (const std::exception& e) {
    add_error(res, job, e.what());
    return;
  }
  if (interrupted()) {
    res.interrupted = true;
    return;
  }
  // Checked before anything ran; once more now, as something may have appeared there since.
  // (The second build of --check-reproducible renames into a scratch directory of its own.)
  fs::path out(job.abs_output);
  const std::string base = out_base(*ctx.cfg);
  const bool in_base = job.abs_output == (fs::path(base) / job.output).string();
  if (auto why = in_base ? check_output_file(base, job.output)
                         : check_output_file(out.parent_path().string(), out.filename().string())) {
    add_error(res, job, *why);
    return;
  }
  if (std::rename(tmp.path().c_str(), job.abs_output.c_str()) != 0) {
    add_error(res, job, "cannot rename " + tmp.path() + " onto it: " + std::strerror(errno));
    res.size.reset();
    res.sha256.clear();
    return;
  }
  tmp.release();
}

} // namespace

JobResult run_job(const BuildContext& ctx, const Job& job) {
  const auto start = std::chrono::steady_clock::now();
  JobResult res;
  res.target = job.target->name;
  res.platform = job.platform.str();
  res.path = job.output;
  auto finish = [&]() -> JobResult& {
    res.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    res.ok = !res.interrupted && !any_error(res.problems);
    return res;
  };
  if (interrupted()) {
    res.interrupted = true;
    return finish();
  }
  std::optional<TempPath> tmp;
  if (make_temporary(job, tmp, res) && build_into(ctx, job, tmp->path(), res) &&
      verify_built(ctx, job, tmp->path(), res))
    install(ctx, job, *tmp, res);
  return finish();
}

std::vector<JobResult> run_jobs(const BuildContext& ctx, const std::vector<Job>& jobs, int parallel) {
  std::vector<JobResult> results(jobs.size());
  std::atomic<size_t> next{0};
  auto worker = [&]() {
    for (;;) {
      size_t i = next.fetch_add(1);
      if (i >= jobs.size()) return;
      if (ctx.on_job_start) ctx.on_job_start(i, jobs[i]);
      try {
        results[i] = run_job(ctx, jobs[i]);
      } catch (const std::exception& e) {
        // run_process throws when go cannot be started: the job failed, the others go on.
        JobResult& r = results[i];
        r.target = jobs[i].target->name;
        r.platform = jobs[i].platform.str();
        r.path = jobs[i].output;
        r.ok = false;
        r.problems.push_back(Problem::error(jobs[i].output + ": " + e.what()));
      }
      if (ctx.on_job_done) ctx.on_job_done(i, results[i]);
    }
  };
  size_t n = std::min(jobs.size(), static_cast<size_t>(parallel < 1 ? 1 : parallel));
  if (n <= 1) {
    worker();
    return results;
  }
  std::vector<std::thread> threads;
  for (size_t i = 0; i < n; ++i) threads.emplace_back(worker);
  for (auto& th : threads) th.join();
  return results;
}

} // namespace gobuild
