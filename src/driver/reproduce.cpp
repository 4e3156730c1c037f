#include "gobuild/driver/reproduce.hpp"

#include <cerrno>
#include <cstring>

#include <sys/stat.h>

#include <boost/filesystem.hpp>

#include "gobuild/attest/compare.hpp"
#include "gobuild/driver/environment.hpp"
#include "gobuild/driver/process.hpp"
#include "gobuild/util/error.hpp"
#include "gobuild/util/strings.hpp"

namespace gobuild {

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

std::vector<std::optional<ReproVerdict>> check_reproducible(const Config& cfg, const BuildContext& ctx,
                                                            const std::vector<Job>& jobs,
                                                            const std::vector<JobResult>& first,
                                                            int parallel, bool no_sandbox) {
  namespace fs = boost::filesystem;
  std::vector<std::optional<ReproVerdict>> verdicts(jobs.size());
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
  // Never the shared cache: a poisoned one would give both builds the same wrong bytes.
  ctx2.cache_prog.clear();
  // Without the cache program, the second build is cut off from the network like any other.
  if (!no_sandbox) ctx2.sandbox = probe_sandbox().mode;
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
    ReproVerdict& v = verdicts[i].emplace();
    if (!second[k].ok) {
      for (const auto& p : second[k].problems)
        if (p.is_error()) print_stderr_line("gobuild: error: (second build) " + escape_controls(p.text()));
      v.lines = {r1.path + ": not reproducible: the second build failed"};
      v.json = {{"second_build_failed", true}};
      continue;
    }
    ReproDiff d = compare_builds(jobs[i].abs_output, jobs2[k].abs_output);
    v.identical = d.identical;
    v.lines = verdict_lines(r1.path, r1.sha256, second[k].sha256, d);
    if (d.identical) continue;
    // The verdict is the report's (stdout); stderr, where errors go, says that there is one.
    print_stderr_line("gobuild: error: " + r1.path + ": not reproducible");
    v.json = {{"second_sha256", second[k].sha256},
              {"where", d.where},
              {"buildinfo", d.buildinfo_diff},
              {"likely_causes", d.likely_causes}};
  }
  return verdicts;
}

} // namespace gobuild
