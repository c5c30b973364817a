// Whether any process holds a file open for writing, asked of the kernel: a read lease
// (fcntl F_SETLEASE, F_RDLCK) is refused with EAGAIN while the file is open for writing anywhere
// on this kernel (another user, another container), and granted otherwise; it is let go at once.
// Node has no fcntl, hence this addon. See src/system/write-lease.ts.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <signal.h>

// Returns true (a writer holds the file), false (none), or null: the kernel cannot tell here (a
// file of another owner without CAP_LEASE, a file system without leases, leases turned off).
static napi_value writers(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd = -1;
  napi_value result;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok) {
    napi_throw_type_error(env, NULL, "writers(fd): fd must be a number");
    return NULL;
  }
  if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
    fcntl(fd, F_SETLEASE, F_UNLCK);
    napi_get_boolean(env, false, &result);
  } else if (errno == EAGAIN) {
    napi_get_boolean(env, true, &result);
  } else {
    napi_get_null(env, &result);
  }
  return result;
}

NAPI_MODULE_INIT() {
  // While the lease is held (two calls in a row), a process opening the file for writing breaks
  // it, and the kernel signals the holder with SIGIO, whose default action ends the process.
  // The lease is gone the moment after, so the signal carries nothing to act on: ignore it,
  // unless someone already handles it.
  struct sigaction current;
  if (sigaction(SIGIO, NULL, &current) == 0 && current.sa_handler == SIG_DFL) {
    signal(SIGIO, SIG_IGN);
  }
  napi_value fn;
  napi_create_function(env, "writers", NAPI_AUTO_LENGTH, writers, NULL, &fn);
  napi_set_named_property(env, exports, "writers", fn);
  return exports;
}
