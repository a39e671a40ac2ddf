// DeliveryFeed: follows Guide.Deliveries and hands each message to whoever
// delivers it (the web inbox, or a platform channel's Send).
//
// Delivery is at least once. The feed remembers the last sequence number it
// handed over in a small cursor file and resumes after it when the stream
// breaks or the gateway restarts; a gateway started for the first time
// (no cursor file) begins with messages written from then on, so a new
// gateway never re-sends old hand-off messages to people.
#ifndef RECONNECT_ADAPTERS_DELIVERY_FEED_H_
#define RECONNECT_ADAPTERS_DELIVERY_FEED_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "reconnect/v1/guide.grpc.pb.h"

namespace reconnect::adapters {

class DeliveryFeed {
 public:
  using Dispatch = std::function<void(const reconnect::v1::Delivery&)>;

  // `stub` must outlive the feed. `cursor_file` may be empty: then the feed
  // keeps its place in memory only.
  DeliveryFeed(reconnect::v1::Guide::Stub* stub, std::string cursor_file,
               Dispatch dispatch);
  ~DeliveryFeed();  // Stop()

  void Start();
  void Stop();

  // The last sequence number handed over (-1 before the first).
  int64_t cursor();

 private:
  void Run();
  void Save(int64_t seq);

  reconnect::v1::Guide::Stub* stub_;
  std::string cursor_file_;
  Dispatch dispatch_;
  absl::Mutex mu_;
  int64_t cursor_ ABSL_GUARDED_BY(mu_) = -1;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mu_) = nullptr;
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace reconnect::adapters

#endif  // RECONNECT_ADAPTERS_DELIVERY_FEED_H_
