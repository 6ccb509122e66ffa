import EmbedCore
import EmbedRedis
import Metrics
import Synchronization
import NIOCore

extension RedisEmbeddingCache {
    /// One record to write to one tier.
    struct Write: Sendable {
        var tier: Int
        var key: String
        var record: ByteBuffer
    }

    /// The values of `names` in `tier` (one `MGET` per ``readChunk`` keys), or `nil` when a
    /// call failed: the whole lookup in this tier is then a miss.
    func read(_ names: [String], from tier: TierClient, position: Int) async -> [ByteBuffer?]? {
        var values: [ByteBuffer?] = []
        values.reserveCapacity(names.count)
        for start in stride(from: 0, to: names.count, by: Self.readChunk) {
            let chunk = Array(names[start..<min(start + Self.readChunk, names.count)])
            let began = ContinuousClock.now
            do {
                values += try await tier.client.mget(chunk)
                tier.metrics.getTime.recordInterval(since: began)
            } catch {
                tier.metrics.getErrors.increment()
                counts.withLock { $0.tiers[position].errors += 1 }
                updateBreaker(tier)
                return nil
            }
        }
        updateBreaker(tier)
        return values
    }

    /// Counts one tier's share of a lookup.
    func record(tier position: Int, hits: Int, misses: Int, corrupt: Int) {
        let tier = tiers[position]
        if hits > 0 { tier.metrics.hits.increment(by: hits) }
        if misses > 0 { tier.metrics.misses.increment(by: misses) }
        if corrupt > 0 { tier.metrics.corrupt.increment(by: corrupt) }
        counts.withLock { counts in
            counts.tiers[position].hits += hits
            counts.tiers[position].misses += misses
            counts.tiers[position].corrupt += corrupt
        }
    }

    /// Deletes refused records (before the lookup returns: a background `DEL` could land
    /// after the write of the recomputed vector and remove it).
    func delete(_ names: [String], from position: Int) async {
        let tier = tiers[position]
        do {
            try await tier.client.del(names)
        } catch {
            tier.metrics.delErrors.increment()
            counts.withLock { $0.tiers[position].errors += 1 }
        }
    }

    /// Writes `writes` in the background, unless that would put more than
    /// ``RedisCacheConfiguration/maxPendingWrites`` in waiting: then they are dropped and counted.
    func enqueue(_ writes: [Write]) {
        let admitted = counts.withLock { counts in
            guard counts.pendingWrites + writes.count <= configuration.maxPendingWrites else {
                counts.writesDropped += writes.count
                return false
            }
            counts.pendingWrites += writes.count
            return true
        }
        guard admitted else {
            metrics.writesDropped.increment(by: writes.count)
            return
        }
        Task {
            for (position, tier) in tiers.enumerated() {
                let mine = writes.filter { $0.tier == position }
                for start in stride(from: 0, to: mine.count, by: Self.writeChunk) {
                    await write(Array(mine[start..<min(start + Self.writeChunk, mine.count)]), to: tier, position: position)
                }
            }
            counts.withLock { $0.pendingWrites -= writes.count }
        }
    }

    /// One pipeline of `SET key record EX ttl`; error replies (`OOM` when Redis is full)
    /// count as errors, the other commands still count as written.
    private func write(_ writes: [Write], to tier: TierClient, position: Int) async {
        let commands = writes.map { RedisCommand.set($0.key, $0.record, expiration: .seconds(tier.ttlSeconds)) }
        let began = ContinuousClock.now
        let replies: [RESPValue]
        do {
            replies = try await tier.client.pipeline(commands)
            tier.metrics.setTime.recordInterval(since: began)
        } catch {
            tier.metrics.setErrors.increment()
            counts.withLock { $0.tiers[position].errors += 1 }
            updateBreaker(tier)
            return
        }
        var written = 0
        var bytes = 0
        var failed = 0
        for (write, reply) in zip(writes, replies) {
            if case .error = reply {
                failed += 1
            } else {
                written += 1
                bytes += write.record.readableBytes
            }
        }
        if failed > 0 { tier.metrics.setErrors.increment(by: failed) }
        if bytes > 0 { tier.metrics.bytesWritten.increment(by: bytes) }
        counts.withLock { counts in
            counts.tiers[position].errors += failed
            counts.tiers[position].writes += written
            counts.tiers[position].bytesWritten += bytes
        }
        updateBreaker(tier)
    }

    private func updateBreaker(_ tier: TierClient) {
        tier.metrics.breaker.record(tier.client.breakerState.metricValue)
    }
}

extension Metrics.Timer {
    /// Records the time since `start`.
    func recordInterval(since start: ContinuousClock.Instant) {
        recordNanoseconds(start.duration(to: .now).inNanoseconds)
    }
}
