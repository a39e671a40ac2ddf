// Runs the `reconnect` binary as a child process for end-to-end tests, with
// extra environment variables, its output captured in a file.
#ifndef RECONNECT_TESTS_SUBPROCESS_H_
#define RECONNECT_TESTS_SUBPROCESS_H_

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace reconnect::testing {

class Subprocess {
 public:
  // Starts `args` (args[0] is the program) with `env` added to this
  // process's environment; stdout and stderr go to `log_file`.
  Subprocess(std::vector<std::string> args,
             std::vector<std::pair<std::string, std::string>> env,
             std::string log_file)
      : log_file_(std::move(log_file)) {
    pid_ = fork();
    if (pid_ == 0) {
      for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
      FILE* log = fopen(log_file_.c_str(), "a");
      if (log != nullptr) {
        dup2(fileno(log), 1);
        dup2(fileno(log), 2);
      }
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Subprocess() { Stop(SIGTERM); }

  // Sends `signal` and waits for the process to end. Returns its wait status.
  int Stop(int signal) {
    if (pid_ <= 0) return status_;
    kill(pid_, signal);
    waitpid(pid_, &status_, 0);
    pid_ = -1;
    return status_;
  }

  // Waits for the process to end by itself. Returns its wait status.
  int Wait() {
    if (pid_ <= 0) return status_;
    waitpid(pid_, &status_, 0);
    pid_ = -1;
    return status_;
  }

  std::string Log() const {
    std::ifstream in(log_file_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  std::string log_file_;
  pid_t pid_ = -1;
  int status_ = 0;
};

}  // namespace reconnect::testing

#endif  // RECONNECT_TESTS_SUBPROCESS_H_
