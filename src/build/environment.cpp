#include "gobuild/build/environment.hpp"
