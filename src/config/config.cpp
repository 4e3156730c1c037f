#include "gobuild/config/config.hpp"
