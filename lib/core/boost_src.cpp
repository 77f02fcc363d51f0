// The compiled parts of Boost.JSON and Boost.URL, header-only style: included in exactly this one
// translation unit of the whole library (Debian's libboost-json1.81-dev is then not needed).
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>
