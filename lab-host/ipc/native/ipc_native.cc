// The OS primitives Node has no binding for, as a small Node-API addon (plain node_api.h, no npm
// dependency): pipe(2), POSIX message queues (mq_open/mq_timedsend/mq_timedreceive) and POSIX shared
// memory (shm_open + mmap) with a single-producer single-consumer ring in it, waited on with a
// process-shared futex.
//
// Every call is synchronous and takes a timeout, so a caller's wait always has a deadline.
// Memory never crosses into JavaScript as an external ArrayBuffer: Electron's V8 memory cage forbids
// them (napi_no_external_buffers_allowed), so bytes are copied between the mapping and a Buffer the
// caller owns. The define below turns any use of the external-buffer API into a compile error.
#define NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED
#define NAPI_VERSION 8
#include <node_api.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <linux/futex.h>
#include <mqueue.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vector>

namespace {

// ---- Node-API helpers -------------------------------------------------------------------------

napi_value Throw(napi_env env, const char* what, int err) {
  char message[256];
  snprintf(message, sizeof message, "%s: %s", what, strerror(err));
  char code[32];
  snprintf(code, sizeof code, "E%d", err);
  napi_throw_error(env, code, message);
  return nullptr;
}

napi_value ThrowType(napi_env env, const char* message) {
  napi_throw_type_error(env, nullptr, message);
  return nullptr;
}

bool Args(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  size_t argc = want;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < want) {
    ThrowType(env, "too few arguments");
    return false;
  }
  return true;
}

bool Int(napi_env env, napi_value value, int64_t* out) {
  if (napi_get_value_int64(env, value, out) != napi_ok) {
    ThrowType(env, "expected a number");
    return false;
  }
  return true;
}

bool Str(napi_env env, napi_value value, char* out, size_t size) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, out, size, &length) != napi_ok || length + 1 >= size) {
    ThrowType(env, "expected a short string");
    return false;
  }
  return true;
}

bool Bytes(napi_env env, napi_value value, uint8_t** data, size_t* length) {
  void* raw = nullptr;
  if (napi_get_buffer_info(env, value, &raw, length) != napi_ok) {
    ThrowType(env, "expected a Buffer");
    return false;
  }
  *data = static_cast<uint8_t*>(raw);
  return true;
}

napi_value Number(napi_env env, double value) {
  napi_value result;
  napi_create_double(env, value, &result);
  return result;
}

napi_value Bool(napi_env env, bool value) {
  napi_value result;
  napi_get_boolean(env, value, &result);
  return result;
}

timespec DeadlineAfter(int64_t timeoutMs) {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);  // mq_timed* take an absolute CLOCK_REALTIME time
  ts.tv_sec += timeoutMs / 1000;
  ts.tv_nsec += (timeoutMs % 1000) * 1000000;
  if (ts.tv_nsec >= 1000000000) {
    ts.tv_sec += 1;
    ts.tv_nsec -= 1000000000;
  }
  return ts;
}

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// ---- pipe(2) ----------------------------------------------------------------------------------

// Node's stdio 'pipe' is a Unix socketpair (libuv), so a real anonymous pipe needs pipe(2) itself.
napi_value Pipe(napi_env env, napi_callback_info) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Throw(env, "pipe2", errno);
  napi_value result;
  napi_create_array_with_length(env, 2, &result);
  napi_set_element(env, result, 0, Number(env, fds[0]));
  napi_set_element(env, result, 1, Number(env, fds[1]));
  return result;
}

napi_value CloseFd(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int64_t fd;
  if (!Args(env, info, 1, argv) || !Int(env, argv[0], &fd)) return nullptr;
  if (close(int(fd)) != 0) return Throw(env, "close", errno);
  return nullptr;
}

// ---- POSIX message queues ---------------------------------------------------------------------

// mqOpen(name, create, maxMessages, messageSize) -> mqd
napi_value MqOpen(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  char name[256];
  bool create = false;
  int64_t maxMessages, messageSize;
  if (!Args(env, info, 4, argv) || !Str(env, argv[0], name, sizeof name)) return nullptr;
  napi_get_value_bool(env, argv[1], &create);
  if (!Int(env, argv[2], &maxMessages) || !Int(env, argv[3], &messageSize)) return nullptr;
  mq_attr attr{};
  attr.mq_maxmsg = maxMessages;
  attr.mq_msgsize = messageSize;
  mqd_t mq = create ? mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attr)
                    : mq_open(name, O_RDWR | O_CLOEXEC);
  if (mq == mqd_t(-1)) return Throw(env, "mq_open", errno);
  return Number(env, double(mq));
}

// mqSend(mqd, buffer, length, timeoutMs) -> true, or false when the queue stayed full until the deadline
napi_value MqSend(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int64_t mq, length, timeoutMs;
  uint8_t* data;
  size_t size;
  if (!Args(env, info, 4, argv) || !Int(env, argv[0], &mq) || !Bytes(env, argv[1], &data, &size) ||
      !Int(env, argv[2], &length) || !Int(env, argv[3], &timeoutMs))
    return nullptr;
  if (length < 0 || size_t(length) > size) return ThrowType(env, "length out of range");
  timespec deadline = DeadlineAfter(timeoutMs);
  while (mq_timedsend(mqd_t(mq), reinterpret_cast<const char*>(data), size_t(length), 0, &deadline) != 0) {
    if (errno == EINTR) continue;
    if (errno == ETIMEDOUT) return Bool(env, false);
    return Throw(env, "mq_timedsend", errno);
  }
  return Bool(env, true);
}

// mqReceive(mqd, buffer, timeoutMs) -> bytes received, or -1 at the deadline
napi_value MqReceive(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int64_t mq, timeoutMs;
  uint8_t* data;
  size_t size;
  if (!Args(env, info, 3, argv) || !Int(env, argv[0], &mq) || !Bytes(env, argv[1], &data, &size) ||
      !Int(env, argv[2], &timeoutMs))
    return nullptr;
  timespec deadline = DeadlineAfter(timeoutMs);
  for (;;) {
    ssize_t got = mq_timedreceive(mqd_t(mq), reinterpret_cast<char*>(data), size, nullptr, &deadline);
    if (got >= 0) return Number(env, double(got));
    if (errno == EINTR) continue;
    if (errno == ETIMEDOUT) return Number(env, -1);
    return Throw(env, "mq_timedreceive", errno);
  }
}

napi_value MqClose(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int64_t mq;
  if (!Args(env, info, 1, argv) || !Int(env, argv[0], &mq)) return nullptr;
  if (mq_close(mqd_t(mq)) != 0) return Throw(env, "mq_close", errno);
  return nullptr;
}

napi_value MqUnlink(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char name[256];
  if (!Args(env, info, 1, argv) || !Str(env, argv[0], name, sizeof name)) return nullptr;
  if (mq_unlink(name) != 0 && errno != ENOENT) return Throw(env, "mq_unlink", errno);
  return nullptr;
}

// ---- Shared memory ring -----------------------------------------------------------------------
//
// The mapping holds two rings (0: opener -> creator's peer direction is the caller's choice). Each:
//   published   written by the writer: messages written so far
//   consumed    written by the reader: messages read so far
//   sleepers    how many are in futex_wait on either counter (so a wake is a syscall only when needed)
//   slots       slotCount x (u32 length, u32 pad, slotSize bytes)
// With the handshake: the writer waits while the ring is full, publishes with a release store after
// the bytes; the reader waits while it is empty, reads with an acquire load, then frees the slot.
// Without it (the lab's "why shared memory needs synchronization" switch): the writer never waits
// and publishes with a relaxed store; the reader copies whatever its next slot holds. Torn and lost
// messages follow, counted by the caller from the bytes.

struct RingHeader {
  std::atomic<uint32_t> published;
  std::atomic<uint32_t> consumed;
  std::atomic<uint32_t> sleepers;
  uint32_t slotCount;
  uint32_t slotSize;
  uint32_t pad[11];  // one 64-byte line for the header
};

constexpr size_t kRings = 2;
constexpr size_t kSlotHeader = 8;

struct Mapping {
  uint8_t* base = nullptr;
  size_t size = 0;
};
std::vector<Mapping> mappings;

size_t RegionSize(uint32_t slotCount, uint32_t slotSize) {
  return kRings * (sizeof(RingHeader) + size_t(slotCount) * (kSlotHeader + slotSize));
}

RingHeader* Ring(const Mapping& m, int64_t ring) {
  auto* first = reinterpret_cast<RingHeader*>(m.base);
  size_t ringBytes = sizeof(RingHeader) + size_t(first->slotCount) * (kSlotHeader + first->slotSize);
  return reinterpret_cast<RingHeader*>(m.base + size_t(ring) * ringBytes);
}

uint8_t* Slot(RingHeader* ring, uint32_t index) {
  return reinterpret_cast<uint8_t*>(ring + 1) + size_t(index % ring->slotCount) * (kSlotHeader + ring->slotSize);
}

long Futex(std::atomic<uint32_t>* word, int op, uint32_t value, const timespec* timeout) {
  // Not FUTEX_PRIVATE_FLAG: the word lives in a mapping shared between processes.
  return syscall(SYS_futex, reinterpret_cast<uint32_t*>(word), op, value, timeout, nullptr, 0);
}

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Waits until ready() holds or the deadline passes. A round trip on an idle core is far shorter than
// a futex sleep, so it first spins for up to 15 us (shared-ring.ts says why that long), then sleeps
// on `word` while it still reads `seen`. Not sched_yield: with CPU-bound neighbours a yield hands them a whole time slice
// (milliseconds), where a futex wake puts the sleeper first in line.
template <typename Ready>
bool WaitFor(RingHeader* ring, std::atomic<uint32_t>* word, int64_t deadlineNs, Ready ready) {
  int64_t spinUntil = NowNs() + 15000;
  do {
    for (int spin = 0; spin < 64; spin++) {
      if (ready()) return true;
      CpuRelax();
    }
  } while (NowNs() < spinUntil);
  for (;;) {
    uint32_t seen = word->load(std::memory_order_acquire);
    if (ready()) return true;
    int64_t left = deadlineNs - NowNs();
    if (left <= 0) return false;
    if (left > 20000000) left = 20000000;  // re-check at least every 20 ms
    timespec ts{time_t(left / 1000000000), long(left % 1000000000)};
    ring->sleepers.fetch_add(1, std::memory_order_seq_cst);
    if (!ready()) Futex(word, FUTEX_WAIT, seen, &ts);
    ring->sleepers.fetch_sub(1, std::memory_order_seq_cst);
  }
}

void WakeAll(RingHeader* ring, std::atomic<uint32_t>* word) {
  // The counter's store must be visible before `sleepers` is read (store-load order: a waiter that
  // registered after this read sees the new counter and does not sleep).
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (ring->sleepers.load(std::memory_order_seq_cst) > 0) Futex(word, FUTEX_WAKE, INT32_MAX, nullptr);
}

bool MappingArg(napi_env env, napi_value value, Mapping** out) {
  int64_t handle;
  if (!Int(env, value, &handle)) return false;
  if (handle < 0 || size_t(handle) >= mappings.size() || mappings[size_t(handle)].base == nullptr) {
    ThrowType(env, "not an open shared-memory handle");
    return false;
  }
  *out = &mappings[size_t(handle)];
  return true;
}

napi_value AddMapping(napi_env env, int fd, size_t size) {
  void* base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  int err = errno;
  close(fd);  // the mapping keeps the object alive
  if (base == MAP_FAILED) return Throw(env, "mmap", err);
  mappings.push_back(Mapping{static_cast<uint8_t*>(base), size});
  return Number(env, double(mappings.size() - 1));
}

// shmCreate(name, slotCount, slotSize) -> handle; creates the object, sizes it, lays out both rings
napi_value ShmCreate(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  char name[256];
  int64_t slotCount, slotSize;
  if (!Args(env, info, 3, argv) || !Str(env, argv[0], name, sizeof name) || !Int(env, argv[1], &slotCount) ||
      !Int(env, argv[2], &slotSize))
    return nullptr;
  if (slotCount < 1 || slotCount > 1024 || slotSize < 8 || slotSize > (64 << 20) || slotSize % 8 != 0)
    return ThrowType(env, "slotCount 1..1024, slotSize a multiple of 8 up to 64 MiB");
  size_t size = RegionSize(uint32_t(slotCount), uint32_t(slotSize));
  int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Throw(env, "shm_open", errno);
  if (ftruncate(fd, off_t(size)) != 0) {
    int err = errno;
    close(fd);
    shm_unlink(name);
    return Throw(env, "ftruncate", err);
  }
  napi_value handle = AddMapping(env, fd, size);
  if (handle == nullptr) return nullptr;
  Mapping& m = mappings.back();
  // Fresh pages are zero: only the geometry needs writing, before any peer opens it.
  auto* first = reinterpret_cast<RingHeader*>(m.base);
  first->slotCount = uint32_t(slotCount);
  first->slotSize = uint32_t(slotSize);
  RingHeader* second = Ring(m, 1);
  second->slotCount = uint32_t(slotCount);
  second->slotSize = uint32_t(slotSize);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  return handle;
}

// shmOpen(name) -> handle
napi_value ShmOpen(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char name[256];
  if (!Args(env, info, 1, argv) || !Str(env, argv[0], name, sizeof name)) return nullptr;
  int fd = shm_open(name, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) return Throw(env, "shm_open", errno);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    return Throw(env, "fstat", err);
  }
  return AddMapping(env, fd, size_t(st.st_size));
}

napi_value ShmClose(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  Mapping* m;
  if (!Args(env, info, 1, argv) || !MappingArg(env, argv[0], &m)) return nullptr;
  munmap(m->base, m->size);
  m->base = nullptr;
  return nullptr;
}

napi_value ShmUnlink(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char name[256];
  if (!Args(env, info, 1, argv) || !Str(env, argv[0], name, sizeof name)) return nullptr;
  if (shm_unlink(name) != 0 && errno != ENOENT) return Throw(env, "shm_unlink", errno);
  return nullptr;
}

// ringSend(handle, ring, buffer, length, timeoutMs, synchronized) -> true, or false at the deadline
napi_value RingSend(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  Mapping* m;
  int64_t ringIndex, length, timeoutMs;
  uint8_t* data;
  size_t size;
  bool synchronized = true;
  if (!Args(env, info, 6, argv) || !MappingArg(env, argv[0], &m) || !Int(env, argv[1], &ringIndex) ||
      !Bytes(env, argv[2], &data, &size) || !Int(env, argv[3], &length) || !Int(env, argv[4], &timeoutMs))
    return nullptr;
  napi_get_value_bool(env, argv[5], &synchronized);
  if (ringIndex < 0 || ringIndex >= int64_t(kRings)) return ThrowType(env, "ring is 0 or 1");
  RingHeader* ring = Ring(*m, ringIndex);
  if (length < 0 || size_t(length) > size || length > int64_t(ring->slotSize))
    return ThrowType(env, "length exceeds the buffer or the slot size");
  uint32_t index = ring->published.load(std::memory_order_relaxed);  // only this side writes it
  if (synchronized) {
    int64_t deadline = NowNs() + timeoutMs * 1000000;
    bool room = WaitFor(ring, &ring->consumed, deadline, [&] {
      return index - ring->consumed.load(std::memory_order_acquire) < ring->slotCount;
    });
    if (!room) return Bool(env, false);
  }
  uint8_t* slot = Slot(ring, index);
  memcpy(slot + kSlotHeader, data, size_t(length));
  reinterpret_cast<std::atomic<uint32_t>*>(slot)->store(uint32_t(length), std::memory_order_relaxed);
  ring->published.store(index + 1, synchronized ? std::memory_order_release : std::memory_order_relaxed);
  WakeAll(ring, &ring->published);
  return Bool(env, true);
}

// ringReceive(handle, ring, buffer, timeoutMs, synchronized) -> bytes copied, or -1 at the deadline.
// Unsynchronized, it still waits for the writer's counter to move (or nothing would ever arrive),
// but it takes no acquire and frees nothing the writer waits on: the writer may overwrite the slot
// while it is being copied.
napi_value RingReceive(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  Mapping* m;
  int64_t ringIndex, timeoutMs;
  uint8_t* data;
  size_t size;
  bool synchronized = true;
  if (!Args(env, info, 5, argv) || !MappingArg(env, argv[0], &m) || !Int(env, argv[1], &ringIndex) ||
      !Bytes(env, argv[2], &data, &size) || !Int(env, argv[3], &timeoutMs))
    return nullptr;
  napi_get_value_bool(env, argv[4], &synchronized);
  if (ringIndex < 0 || ringIndex >= int64_t(kRings)) return ThrowType(env, "ring is 0 or 1");
  RingHeader* ring = Ring(*m, ringIndex);
  uint32_t index = ring->consumed.load(std::memory_order_relaxed);  // only this side writes it
  auto order = synchronized ? std::memory_order_acquire : std::memory_order_relaxed;
  int64_t deadline = NowNs() + timeoutMs * 1000000;
  bool ready = WaitFor(ring, &ring->published, deadline, [&] { return ring->published.load(order) != index; });
  if (!ready) return Number(env, -1);
  uint8_t* slot = Slot(ring, index);
  size_t length = reinterpret_cast<std::atomic<uint32_t>*>(slot)->load(std::memory_order_relaxed);
  if (length > ring->slotSize) length = ring->slotSize;  // a torn length word, unsynchronized
  if (length > size) length = size;
  memcpy(data, slot + kSlotHeader, length);
  ring->consumed.store(index + 1, synchronized ? std::memory_order_release : std::memory_order_relaxed);
  WakeAll(ring, &ring->consumed);
  return Number(env, double(length));
}

// ringReset(handle) -> zeroes both rings' counters (between runs, with no peer attached)
napi_value RingReset(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  Mapping* m;
  if (!Args(env, info, 1, argv) || !MappingArg(env, argv[0], &m)) return nullptr;
  for (size_t r = 0; r < kRings; r++) {
    RingHeader* ring = Ring(*m, int64_t(r));
    ring->published.store(0);
    ring->consumed.store(0);
  }
  return nullptr;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor methods[] = {
      {"pipe", nullptr, Pipe, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"closeFd", nullptr, CloseFd, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"mqOpen", nullptr, MqOpen, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"mqSend", nullptr, MqSend, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"mqReceive", nullptr, MqReceive, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"mqClose", nullptr, MqClose, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"mqUnlink", nullptr, MqUnlink, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"shmCreate", nullptr, ShmCreate, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"shmOpen", nullptr, ShmOpen, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"shmClose", nullptr, ShmClose, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"shmUnlink", nullptr, ShmUnlink, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"ringSend", nullptr, RingSend, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"ringReceive", nullptr, RingReceive, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"ringReset", nullptr, RingReset, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
