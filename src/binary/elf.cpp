#include "gobuild/binary/elf.hpp"
