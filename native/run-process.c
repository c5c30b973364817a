// Runs a program to completion and hands back its exit status and both outputs, started with
// posix_spawn rather than Node's fork: glibc starts the child in the parent's memory (a vfork), so
// the parent copies no page tables and the child tears none down at exec. Node's spawn forks the
// whole process and waits until the child has exec'd; on a virtual machine that is several
// milliseconds of the event loop per git command, which posix_spawn does in a fraction of one.
// The outputs are read, and the exit is seen (a pidfd), by libuv polls on Node's own loop: no
// thread, no SIGCHLD handler. See src/system/run-process.ts, which falls back on execFile when
// this addon is not built or the kernel has no pidfd (before Linux 5.3).
// For the main thread: a worker thread that ends while a program runs would leave its polls on a
// loop that is closing (the daemon runs git on the main thread only).
// glibc's posix_spawn leaves the child its two internal signals (32, 33) ignored across the exec;
// every other signal is at its default (POSIX_SPAWN_SETSIGDEF) and none is blocked.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

enum { OUT = 0, ERR = 1, EXIT = 2 };

typedef struct {
  char *data;
  size_t length;
  size_t capacity;
} output_t;

// One running program: its pid, the polls on its two outputs and on its pidfd, and what it printed.
typedef struct {
  napi_env env;
  napi_ref callback;
  napi_async_context async;
  pid_t pid;
  int fds[3];
  uv_poll_t polls[3];
  int open_polls;     // polls not yet closed: the run is freed when the last one is
  int open_outputs;   // outputs not yet at their end
  int exited;         // reaped: status holds its wait status
  int status;
  int finished;       // the callback was called
  size_t max_bytes;   // more output than this: the program is killed, the run fails with E2BIG
  int overflow;
  output_t outputs[2];
} run_t;

static void free_run(run_t *run) {
  free(run->outputs[OUT].data);
  free(run->outputs[ERR].data);
  free(run);
}

static void on_close(uv_handle_t *handle) {
  run_t *run = handle->data;
  run->open_polls -= 1;
  if (run->open_polls == 0 && run->finished) free_run(run);
}

static void stop(run_t *run, int which) {
  if (run->fds[which] < 0) return;
  uv_poll_stop(&run->polls[which]);
  uv_close((uv_handle_t *)&run->polls[which], on_close);
  close(run->fds[which]);
  run->fds[which] = -1;
}

static napi_value buffer_of(napi_env env, const output_t *output) {
  napi_value value;
  void *data;
  napi_create_buffer_copy(env, output->length, output->length == 0 ? "" : output->data, &data,
                          &value);
  return value;
}

// Calls back once the program has exited and both outputs reached their end:
// callback(errno, code, signal, stdout, stderr), errno 0 unless the output overflowed.
static void finish_if_done(run_t *run) {
  if (run->finished || !run->exited || run->open_outputs > 0) return;
  run->finished = 1;
  napi_env env = run->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value argv[5];
  napi_create_int32(env, run->overflow ? E2BIG : 0, &argv[0]);
  if (WIFEXITED(run->status)) {
    napi_create_int32(env, WEXITSTATUS(run->status), &argv[1]);
    napi_get_null(env, &argv[2]);
  } else {
    napi_get_null(env, &argv[1]);
    napi_create_int32(env, WIFSIGNALED(run->status) ? WTERMSIG(run->status) : 0, &argv[2]);
  }
  argv[3] = buffer_of(env, &run->outputs[OUT]);
  argv[4] = buffer_of(env, &run->outputs[ERR]);
  napi_value callback, receiver;
  napi_get_reference_value(env, run->callback, &callback);
  napi_get_global(env, &receiver);
  if (napi_make_callback(env, run->async, receiver, callback, 5, argv, NULL) ==
      napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
  napi_close_handle_scope(env, scope);
  napi_delete_reference(env, run->callback);
  napi_async_destroy(env, run->async);
}

static void on_output(uv_poll_t *poll, int status, int events) {
  run_t *run = poll->data;
  int which = poll == &run->polls[OUT] ? OUT : ERR;
  output_t *output = &run->outputs[which];
  for (;;) {
    if (output->capacity - output->length < 65536) {
      size_t capacity = output->capacity == 0 ? 65536 : output->capacity * 2;
      char *data = realloc(output->data, capacity);
      if (data == NULL) break;
      output->data = data;
      output->capacity = capacity;
    }
    ssize_t got = read(run->fds[which], output->data + output->length,
                       output->capacity - output->length);
    if (got > 0) {
      if (run->overflow) continue;  // drained, not kept, until the killed program's end
      output->length += (size_t)got;
      if (run->outputs[OUT].length + run->outputs[ERR].length > run->max_bytes) {
        run->overflow = 1;
        // Not once reaped: its pid may be another process's by now.
        if (!run->exited) kill(run->pid, SIGKILL);
      }
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    // Nothing more for now, unless libuv reported an error: it has stopped the poll then, and
    // no call would come again.
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && status == 0) return;
    break;  // the end (0), or an error, which ends this output too
  }
  stop(run, which);
  run->open_outputs -= 1;
  finish_if_done(run);
}

static void on_exited(uv_poll_t *poll, int status, int events) {
  run_t *run = poll->data;
  int wait_status = 0;
  pid_t reaped;
  do {
    reaped = waitpid(run->pid, &wait_status, WNOHANG);
  } while (reaped < 0 && errno == EINTR);
  if (reaped == 0) return;  // not yet: the poll fires again
  // reaped < 0 (ECHILD): reaped by someone else; reported as killed by no signal.
  run->status = reaped < 0 ? 0x7f : wait_status;
  run->exited = 1;
  stop(run, EXIT);
  finish_if_done(run);
}

static char *string_of(napi_env env, napi_value value) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) return NULL;
  char *text = malloc(length + 1);
  if (text == NULL) return NULL;
  napi_get_value_string_utf8(env, value, text, length + 1, &length);
  return text;
}

// A NULL-terminated list of the strings of a JS array (NULL when one is not a string).
static char **strings_of(napi_env env, napi_value array) {
  uint32_t count = 0;
  if (napi_get_array_length(env, array, &count) != napi_ok) return NULL;
  char **list = calloc(count + 1, sizeof(char *));
  if (list == NULL) return NULL;
  for (uint32_t index = 0; index < count; index += 1) {
    napi_value item;
    napi_get_element(env, array, index, &item);
    list[index] = string_of(env, item);
    if (list[index] == NULL) {
      for (uint32_t other = 0; other < index; other += 1) free(list[other]);
      free(list);
      return NULL;
    }
  }
  return list;
}

static void free_strings(char **list) {
  if (list == NULL) return;
  for (char **item = list; *item != NULL; item += 1) free(*item);
  free(list);
}

static int is_executable(const char *path) {
  struct stat info;
  return access(path, X_OK) == 0 && stat(path, &info) == 0 && S_ISREG(info.st_mode);
}

// The program `file` as execvp would find it with the PATH of `env`, a relative folder of PATH
// taken from `cwd` (where the program starts): a malloc'd path, or NULL with errno ENOENT.
static char *resolve(const char *file, char **env, const char *cwd) {
  if (strchr(file, '/') != NULL) return strdup(file);
  const char *path = "/usr/local/bin:/usr/bin:/bin";
  for (char **item = env; *item != NULL; item += 1) {
    if (strncmp(*item, "PATH=", 5) == 0) path = *item + 5;
  }
  size_t file_length = strlen(file);
  for (const char *dir = path;; dir += 1) {
    const char *end = strchrnul(dir, ':');
    size_t length = (size_t)(end - dir);
    int relative = length == 0 || dir[0] != '/';
    size_t size = (relative ? strlen(cwd) + 1 : 0) + length + 1 + file_length + 1;
    char *candidate = malloc(size);
    if (candidate == NULL) return NULL;
    candidate[0] = '\0';
    if (relative) {
      strcat(candidate, cwd);
      strcat(candidate, "/");
    }
    strncat(candidate, dir, length);
    strcat(candidate, "/");
    strcat(candidate, file);
    if (is_executable(candidate)) return candidate;
    free(candidate);
    if (*end == '\0') break;
    dir = end;
  }
  errno = ENOENT;
  return NULL;
}

// A pipe whose read end (nonblocking) stays here and whose write end becomes the child's `fd`;
// both close-on-exec and above 2, so that neither lands on a standard descriptor of this process.
static int output_pipe(int ends[2]) {
  int raw[2];
  if (pipe2(raw, O_CLOEXEC) != 0) return -1;
  for (int side = 0; side < 2; side += 1) {
    ends[side] = fcntl(raw[side], F_DUPFD_CLOEXEC, 3);
    close(raw[side]);
  }
  if (ends[0] < 0 || ends[1] < 0) {
    if (ends[0] >= 0) close(ends[0]);
    if (ends[1] >= 0) close(ends[1]);
    return -1;
  }
  fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK);
  return 0;
}

// Starts `file` with `argv` and `env` in `cwd`, stdin from /dev/null, signals at their defaults and
// none blocked. Returns the errno of a failure to start (0 once started).
static int start(run_t *run, const char *file, char **argv, char **env, const char *cwd) {
  char *program = resolve(file, env, cwd);
  if (program == NULL) return errno;
  int out[2] = {-1, -1};
  int err[2] = {-1, -1};
  int error = 0;
  if (output_pipe(out) != 0 || output_pipe(err) != 0) error = errno;
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attributes);
  if (error == 0) {
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawn_file_actions_addchdir_np(&actions, cwd);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    // Node ignores SIGPIPE: a git writing to a closed pipe must end as it would from a shell.
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    error = posix_spawn(&run->pid, program, &actions, &attributes, argv, env);
  }
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  free(program);
  if (out[1] >= 0) close(out[1]);
  if (err[1] >= 0) close(err[1]);
  int pidfd = -1;
  if (error == 0) {
    pidfd = (int)syscall(SYS_pidfd_open, run->pid, 0);
    if (pidfd < 0) {
      // Checked at load, so not expected: do not leave the child unreaped.
      error = errno;
      kill(run->pid, SIGKILL);
      waitpid(run->pid, NULL, 0);
    }
  }
  if (error != 0) {
    if (out[0] >= 0) close(out[0]);
    if (err[0] >= 0) close(err[0]);
    return error;
  }
  run->fds[OUT] = out[0];
  run->fds[ERR] = err[0];
  run->fds[EXIT] = pidfd;
  return 0;
}

static napi_value throw_errno(napi_env env, int error, const char *file) {
  char message[512];
  snprintf(message, sizeof message, "spawn %s %s", file, strerror(error));
  napi_value code, text, exception;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &text);
  napi_create_int32(env, error, &code);
  napi_create_error(env, NULL, text, &exception);
  napi_set_named_property(env, exception, "errno", code);
  napi_throw(env, exception);
  return NULL;
}

// run(file, argv, env, cwd, maxBytes, callback): the pid, or throws (with `errno`) when the
// program cannot start. argv includes argv[0]; env is a list of NAME=VALUE.
static napi_value run_process(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value args[6];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  if (argc < 6) {
    napi_throw_type_error(env, NULL, "run(file, argv, env, cwd, maxBytes, callback)");
    return NULL;
  }
  char *file = string_of(env, args[0]);
  char **argv = strings_of(env, args[1]);
  char **environment = strings_of(env, args[2]);
  char *cwd = string_of(env, args[3]);
  double max_bytes = 0;
  napi_get_value_double(env, args[4], &max_bytes);
  napi_value result = NULL;
  run_t *run = calloc(1, sizeof(run_t));
  if (file == NULL || argv == NULL || environment == NULL || cwd == NULL || run == NULL) {
    napi_throw_type_error(env, NULL, "run: file, argv, env and cwd must be strings");
    free(run);
    goto done;
  }
  int error = start(run, file, argv, environment, cwd);
  if (error != 0) {
    free(run);
    throw_errno(env, error, file);
    goto done;
  }
  run->env = env;
  run->max_bytes = max_bytes > 0 ? (size_t)max_bytes : (size_t)-1;
  run->open_outputs = 2;
  napi_create_reference(env, args[5], 1, &run->callback);
  napi_value name;
  napi_create_string_utf8(env, "adw-trigger:run-process", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &run->async);
  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  int watched = 0;
  for (; watched < 3; watched += 1) {
    if (uv_poll_init(loop, &run->polls[watched], run->fds[watched]) != 0) break;
    run->polls[watched].data = run;
    run->open_polls += 1;
    uv_poll_start(&run->polls[watched], UV_READABLE, watched == EXIT ? on_exited : on_output);
  }
  if (watched < 3) {
    // A descriptor the loop cannot watch (not expected): end the program rather than wait on it
    // for ever, and say so.
    kill(run->pid, SIGKILL);
    waitpid(run->pid, NULL, 0);
    for (int which = 0; which < 3; which += 1) {
      if (which < watched) stop(run, which);
      else close(run->fds[which]);
    }
    run->finished = 1;
    napi_delete_reference(env, run->callback);
    napi_async_destroy(env, run->async);
    if (run->open_polls == 0) free_run(run);
    throw_errno(env, EBADF, file);
    goto done;
  }
  napi_create_int32(env, run->pid, &result);
done:
  free(file);
  free(cwd);
  free_strings(argv);
  free_strings(environment);
  return result;
}

NAPI_MODULE_INIT() {
  // Without pidfds (Linux before 5.3) the exit could not be waited for here: no `run` then.
  int probe = (int)syscall(SYS_pidfd_open, getpid(), 0);
  if (probe < 0) return exports;
  close(probe);
  napi_value fn;
  napi_create_function(env, "run", NAPI_AUTO_LENGTH, run_process, NULL, &fn);
  napi_set_named_property(env, exports, "run", fn);
  return exports;
}
