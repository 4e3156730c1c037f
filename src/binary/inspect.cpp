#include "gobuild/binary/inspect.hpp"
