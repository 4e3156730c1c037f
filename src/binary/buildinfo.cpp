#include "gobuild/binary/buildinfo.hpp"
