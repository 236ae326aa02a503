namespace Streamer.Tests.Support;

/// <summary>
/// A fact that checks something only Linux has: elsewhere it is reported as skipped, with the reason, never as a
/// silent pass (xunit 2 can skip only from the attribute).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute(string reason)
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = $"Linux only: {reason}";
        }
    }
}
