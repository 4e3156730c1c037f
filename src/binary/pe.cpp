#include "gobuild/binary/pe.hpp"
