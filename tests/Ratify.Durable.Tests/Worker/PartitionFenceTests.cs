using Microsoft.Extensions.Logging.Abstractions;
using Ratify.Durable.Worker;

namespace Ratify.Durable.Tests.Worker;

public sealed class PartitionFenceTests
{
    private static (PartitionFence Fence, ManualClock Clock) Fence()
    {
        var clock = new ManualClock();
        var options = new DurableTaskOptions();
        options.StorageProvider.LeaseInterval = TimeSpan.FromSeconds(30);
        return (new PartitionFence(options, clock, NullLogger<PartitionFence>.Instance), clock);
    }

    [Fact]
    public void Holds_BeforeTheMarginAheadOfTheLeaseEnd_True()
    {
        var (fence, clock) = Fence();
        fence.Grant(2, fence.Now());
        clock.Advance(TimeSpan.FromSeconds(23.9));

        Assert.True(fence.Holds(2));
        Assert.False(fence.Holds(1));
    }

    [Fact]
    public void Holds_AfterAFreezeLongerThanTheHold_FalseWithoutAnyStorageCall()
    {
        var (fence, clock) = Fence();
        fence.Grant(0, fence.Now());
        clock.Advance(TimeSpan.FromSeconds(24)); // 30 s lease, 6 s margin for writes on their way

        Assert.False(fence.Holds(0));
        Assert.True(fence.Lapsed(0));
    }

    [Fact]
    public void Holds_MeasuredFromWhenTheLeaseWasRequested_NotFromTheReply()
    {
        var (fence, clock) = Fence();
        var requestedAt = fence.Now();
        clock.Advance(TimeSpan.FromSeconds(20)); // a slow reply
        fence.Grant(0, requestedAt);
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.False(fence.Holds(0));
    }

    [Fact]
    public void Holds_AfterRevoke_False()
    {
        var (fence, _) = Fence();
        fence.Grant(0, fence.Now());
        fence.Revoke(0);

        Assert.False(fence.Holds(0));
        Assert.False(fence.Lapsed(0));
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
