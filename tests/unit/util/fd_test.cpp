#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include "gobuild/util/fd.hpp"

using namespace gobuild;

namespace {
bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }
} // namespace

TEST_CASE("Fd closes what it owns exactly once") {
  int raw = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  REQUIRE(raw >= 0);
  {
    Fd fd(raw);
    CHECK(fd);
    CHECK(fd.get() == raw);
  }
  CHECK_FALSE(is_open(raw));

  Fd a(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  int a_raw = a.get();
  Fd b(std::move(a));
  CHECK_FALSE(a);
  CHECK(b.get() == a_raw);
  CHECK(b.close());
  CHECK_FALSE(is_open(a_raw));
  CHECK(b.close()); // nothing left to close

  Fd c(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  int kept = c.release();
  CHECK_FALSE(c);
  CHECK(is_open(kept));
  ::close(kept);

  Fd d(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  int first = d.get();
  d = Fd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  CHECK(d);
  CHECK((first == d.get() || !is_open(first))); // the old one was closed (its number may be reused)
}
