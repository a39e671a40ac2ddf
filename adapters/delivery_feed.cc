#include "adapters/delivery_feed.h"

#include <cstdio>
#include <fstream>
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace reconnect::adapters {

DeliveryFeed::DeliveryFeed(reconnect::v1::Guide::Stub* stub,
                           std::string cursor_file, Dispatch dispatch)
    : stub_(stub),
      cursor_file_(std::move(cursor_file)),
      dispatch_(std::move(dispatch)) {
  if (!cursor_file_.empty()) {
    std::ifstream in(cursor_file_);
    std::string text;
    int64_t seq = 0;
    if (in >> text && absl::SimpleAtoi(text, &seq) && seq >= 0) {
      absl::MutexLock lock(&mu_);
      cursor_ = seq;
    }
  }
}

DeliveryFeed::~DeliveryFeed() { Stop(); }

void DeliveryFeed::Start() {
  thread_ = std::thread([this] { Run(); });
}

void DeliveryFeed::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  {
    absl::MutexLock lock(&mu_);
    if (context_ != nullptr) context_->TryCancel();
  }
  if (thread_.joinable()) thread_.join();
}

int64_t DeliveryFeed::cursor() {
  absl::MutexLock lock(&mu_);
  return cursor_;
}

void DeliveryFeed::Save(int64_t seq) {
  {
    absl::MutexLock lock(&mu_);
    cursor_ = seq;
  }
  if (cursor_file_.empty()) return;
  // Write then rename, so a crash leaves the old cursor or the new one.
  const std::string temp = cursor_file_ + ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << seq << "\n";
    if (!out.flush()) {
      std::cerr << "reconnect gateway: cannot write " << temp << "\n";
      return;
    }
  }
  std::rename(temp.c_str(), cursor_file_.c_str());
}

void DeliveryFeed::Run() {
  absl::Duration backoff = absl::Milliseconds(200);
  while (!stop_.HasBeenNotified()) {
    grpc::ClientContext context;
    reconnect::v1::DeliveriesRequest request;
    {
      absl::MutexLock lock(&mu_);
      // Negative: from the newest message on (a first start).
      request.set_after_seq(cursor_);
      context_ = &context;
    }
    if (stop_.HasBeenNotified()) context.TryCancel();
    auto reader = stub_->Deliveries(&context, request);
    reconnect::v1::Delivery delivery;
    bool received = false;
    while (reader->Read(&delivery)) {
      received = true;
      // A marker (no conversation) only tells where the newest message is.
      if (!delivery.conversation_id().empty()) dispatch_(delivery);
      Save(delivery.seq());
    }
    grpc::Status status = reader->Finish();
    {
      absl::MutexLock lock(&mu_);
      context_ = nullptr;
    }
    if (stop_.HasBeenNotified()) break;
    if (received) backoff = absl::Milliseconds(200);
    if (!status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
      std::cerr << "reconnect gateway: delivery stream: "
                << status.error_message() << "; retrying\n";
    }
    stop_.WaitForNotificationWithTimeout(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(10));
  }
}

}  // namespace reconnect::adapters
