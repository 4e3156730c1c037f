#include "gobuild/binary/macho.hpp"
