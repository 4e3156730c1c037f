#include "gobuild/build/process.hpp"
