#include "gobuild/binary/verify.hpp"
