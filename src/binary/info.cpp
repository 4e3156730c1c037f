#include "gobuild/binary/info.hpp"

namespace gobuild {

std::string_view to_string(Format f) {
  switch (f) {
  case Format::elf: return "elf";
  case Format::pe: return "pe";
  case Format::macho: return "macho";
  }
  return "unknown";
}

std::string_view to_string(Linkage l) {
  switch (l) {
  case Linkage::static_exe: return "static";
  case Linkage::static_pie: return "static-pie";
  case Linkage::dynamic: return "dynamic";
  case Linkage::shared_object: return "shared-object";
  case Linkage::none: return "none";
  case Linkage::not_applicable: return "n/a";
  }
  return "unknown";
}

} // namespace gobuild
