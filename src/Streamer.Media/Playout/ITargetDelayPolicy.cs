namespace Streamer.Media.Playout;

/// <summary>
/// Decides how much audio a jitter buffer holds back (its target delay): the one thing a jitter strategy changes.
/// The buffer starts playing, and restarts after an underrun, once the target is buffered, and its drift corrector
/// steers the depth towards the target while playing. A policy only answers "how much"; storage, the
/// buffering/playing/underrun states, sample slips and statistics stay in the buffer.
/// </summary>
/// <remarks>
/// A new strategy is one class implementing this interface plus one registration line (a name, for
/// <c>play --jitter-strategy NAME</c> and the bench's <c>--strategy NAME</c>). One instance serves one stream.
/// <see cref="Observe"/> is called on the receive thread for every frame, so it must not block or allocate;
/// <see cref="TargetMilliseconds"/> is read on that same thread right after it (the buffer publishes the value to
/// the audio thread itself), so an implementation needs no locks or volatile fields.
/// </remarks>
public interface ITargetDelayPolicy
{
    /// <summary>The delay to hold now, in ms, from <see cref="MinimumMilliseconds"/> to
    /// <see cref="MaximumMilliseconds"/>. Read before the first frame too: that is the target playback starts at.</summary>
    double TargetMilliseconds { get; }

    /// <summary>The smallest target this policy can answer, in ms (the receiver sizes device blocks from it).</summary>
    double MinimumMilliseconds { get; }

    /// <summary>The largest target this policy can answer, in ms (the buffer's capacity is at least twice it).</summary>
    double MaximumMilliseconds { get; }

    /// <summary>The arrival jitter the target follows, in ms, for statistics; 0 for a policy that measures none.</summary>
    double JitterMilliseconds { get; }

    /// <summary>Sees one frame as it enters the buffer; the new target is read right after.</summary>
    /// <param name="arrival">When the frame arrived, where it sits in the stream, and the packet and device block sizes.</param>
    void Observe(in FrameArrival arrival);
}
