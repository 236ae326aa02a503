using System.Diagnostics;

namespace Streamer.Chat;

/// <summary>Rate limit: <c>burst</c> tokens refilled at <c>rate</c> per second; one token per frame. Used by one reader.</summary>
internal sealed class TokenBucket
{
    private readonly double _rate;
    private readonly double _burst;
    private double _tokens;
    private long _lastTicks;

    public TokenBucket(double ratePerSecond, int burst)
    {
        _rate = ratePerSecond;
        _burst = burst;
        _tokens = burst;
        _lastTicks = Stopwatch.GetTimestamp();
    }

    public bool TryTake()
    {
        long now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + ((now - _lastTicks) * _rate / Stopwatch.Frequency));
        _lastTicks = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
