#include "gobuild/binary/report.hpp"
