using System.Text;
using System.Text.RegularExpressions;

namespace Streamer.Tests.Cli;

/// <summary>One <c>streamer</c> invocation shown in the docs: where it is, the text as shown, and its arguments.</summary>
/// <param name="Inline">In a code span in prose, where <c>streamer play</c> may name the command rather than run it.</param>
public sealed record DocumentedCommandLine(string Source, string Text, string[] Arguments, bool Inline)
{
    public override string ToString() => $"{Source}: {Text}";
}

/// <summary>
/// Finds every <c>streamer …</c> command line in markdown: in fenced code blocks (continuation backslashes joined,
/// comments and <c>$ </c> prompts stripped, pipelines and lists split so only the streamer part is kept) and in
/// inline code spans. <c>dotnet …/streamer.dll</c>, <c>dotnet $S</c> (S set to the dll) and
/// <c>dotnet run --project src/Streamer.Cli … --</c> count as <c>streamer</c>. A synopsis
/// (<c>[--port 443]</c>, <c>[--json|--csv]</c>, <c>TARGET...</c>) yields one line per alternative, with the
/// placeholders of typed values replaced by a sample value.
/// </summary>
public static partial class DocumentedCommandLines
{
    /// <summary>Sample values for placeholders that stand for a typed option's value (the rest are text anyway).</summary>
    private static readonly Dictionary<string, string> Samples = new(StringComparer.Ordinal)
    {
        ["MS"] = "20", ["KBPS"] = "64", ["RATE"] = "64k", ["N"] = "1", ["PORT"] = "9611", ["DURATION"] = "1s", ["PERCENT"] = "10",
        ["--codec NAME"] = "pcm",
    };

    /// <summary>The repository's root: the nearest folder above the test binaries holding Streamer.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Streamer.sln")) && File.Exists(Path.Combine(dir.FullName, "README.md")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("no Streamer.sln above " + AppContext.BaseDirectory + ": the docs cannot be checked");
    }

    /// <summary>README.md and docs/*.md, relative to the root.</summary>
    public static IEnumerable<string> DocumentFiles(string root)
        => new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal));

    public static List<DocumentedCommandLine> FromRepository()
    {
        string root = RepositoryRoot();
        var all = new List<DocumentedCommandLine>();
        foreach (string file in DocumentFiles(root))
        {
            all.AddRange(FromMarkdown(file, File.ReadAllText(Path.Combine(root, file))));
        }

        return all;
    }

    public static List<DocumentedCommandLine> FromMarkdown(string name, string markdown)
    {
        var found = new List<DocumentedCommandLine>();
        string[] lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        bool inBlock = false;
        bool dllVariable = markdown.Contains("S=src/Streamer.Cli/bin/Release/net10.0/streamer.dll", StringComparison.Ordinal);
        var prose = new StringBuilder();
        var proseLines = new List<int>();   // the source line of each character of prose
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock;
                AddInline(found, name, prose, proseLines, dllVariable);
                continue;
            }

            if (inBlock)
            {
                int first = i;
                var joined = new StringBuilder(line);
                while (joined.Length > 0 && joined[^1] == '\\' && i + 1 < lines.Length)
                {
                    joined.Length--;
                    joined.Append(' ').Append(lines[++i].Trim());
                }

                AddCommands(found, $"{name}:{first + 1}", StripComment(joined.ToString()), dllVariable, inline: false);
            }
            else
            {
                prose.Append(line).Append('\n');
                proseLines.AddRange(Enumerable.Repeat(i + 1, line.Length + 1));
            }
        }

        AddInline(found, name, prose, proseLines, dllVariable);
        return found;
    }

    /// <summary>Code spans of the prose since the last code block; a span may run over a line break.</summary>
    private static void AddInline(List<DocumentedCommandLine> found, string name, StringBuilder prose, List<int> proseLines, bool dllVariable)
    {
        foreach (Match span in InlineCode().Matches(prose.ToString()))
        {
            // In a table, a pipe inside code is written \|.
            string text = span.Groups[1].Value.Replace("\\|", "|", StringComparison.Ordinal).Replace('\n', ' ');
            AddCommands(found, $"{name}:{proseLines[span.Index]}", text, dllVariable, inline: true);
        }

        prose.Clear();
        proseLines.Clear();
    }

    private static void AddCommands(List<DocumentedCommandLine> found, string source, string text, bool dllVariable, bool inline)
    {
        foreach (string piece in SplitShell(text))
        {
            string command = piece.Trim();
            if (command.StartsWith("$ ", StringComparison.Ordinal))
            {
                command = command[2..];
            }

            if (StreamerArguments(command, dllVariable) is not { } arguments)
            {
                continue;
            }

            foreach (string variant in Alternatives(arguments))
            {
                string[] tokens = Tokenize(variant);
                if (tokens.Length > 0)
                {
                    found.Add(new DocumentedCommandLine(source, command, tokens, inline));
                }
            }
        }
    }

    /// <summary>The text after the program name when <paramref name="command"/> runs streamer; else null.</summary>
    private static string? StreamerArguments(string command, bool dllVariable)
    {
        // Wrappers that run what follows: time, env assignments, and tools that take a command (paced-card.sh).
        command = Wrapper().Replace(command, string.Empty);
        if (command == "streamer" || command.StartsWith("streamer ", StringComparison.Ordinal))
        {
            return command["streamer".Length..];
        }

        if (DotnetRun().Match(command) is { Success: true } run)
        {
            return run.Groups[1].Value;
        }

        if (DotnetDll().Match(command) is { Success: true } dll && (dll.Groups[1].Value != "$S" || dllVariable))
        {
            return dll.Groups[2].Value;
        }

        return null;
    }

    /// <summary>A synopsis's optional groups become their content; <c>[a|b]</c> one variant per alternative.</summary>
    private static IEnumerable<string> Alternatives(string arguments)
    {
        var group = OptionalGroup().Match(arguments);
        if (!group.Success)
        {
            yield return arguments;
            yield break;
        }

        foreach (string choice in group.Groups[1].Value.Split('|'))
        {
            foreach (string rest in Alternatives(arguments[..group.Index] + choice + arguments[(group.Index + group.Length)..]))
            {
                yield return rest;
            }
        }
    }

    /// <summary>Shell words; quotes removed, redirections, a lone ellipsis (elided arguments) and <c>...</c> repeat marks dropped.</summary>
    private static string[] Tokenize(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool any = false;
        char quote = '\0';
        foreach (char c in text + " ")
        {
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                any = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (word.Length > 0 || any)
                {
                    words.Add(word.ToString());
                }

                word.Clear();
                any = false;
            }
            else
            {
                word.Append(c);
            }
        }

        var result = new List<string>();
        for (int i = 0; i < words.Count; i++)
        {
            string w = words[i];
            if (w is "…" or "...")
            {
                continue;
            }

            if (Redirection().IsMatch(w))
            {
                // "> out.raw": the target is the next word; ">out.raw" and "2>&1" are one.
                i += RedirectionOnly().IsMatch(w) ? 1 : 0;
                continue;
            }

            string value = w.EndsWith("...", StringComparison.Ordinal) && w.Length > 3 ? w[..^3] : w;
            string? sample = result.Count > 0 && Samples.TryGetValue(result[^1] + " " + value, out string? forOption) ? forOption : null;
            result.Add(sample ?? Samples.GetValueOrDefault(value, value));
        }

        return [.. result];
    }

    /// <summary>Splits at |, ||, &amp;&amp;, ; and a trailing &amp; outside quotes (not inside a synopsis's [a|b]).</summary>
    private static List<string> SplitShell(string text)
    {
        var pieces = new List<string>();
        var piece = new StringBuilder();
        char quote = '\0';
        int brackets = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
                piece.Append(c);
                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    break;
                case '[':
                    brackets++;
                    break;
                case ']':
                    brackets = Math.Max(0, brackets - 1);
                    break;
            }

            bool split = brackets == 0 && (c is '|' or ';' || (c == '&' && (i + 1 >= text.Length || text[i + 1] != '>') && (i == 0 || text[i - 1] != '>')));
            if (split)
            {
                pieces.Add(piece.ToString());
                piece.Clear();
                continue;
            }

            piece.Append(c);
        }

        pieces.Add(piece.ToString());
        return pieces;
    }

    private static string StripComment(string line)
    {
        char quote = '\0';
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                quote = c == quote ? '\0' : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^(?:(?:time|env|sudo|[A-Za-z_][A-Za-z0-9_]*=\S*|\S*paced-card\.sh\s+\S+\s+\S+)\s+)+")]
    private static partial Regex Wrapper();

    [GeneratedRegex(@"^dotnet\s+run\s+.*--project\s+src/Streamer\.Cli\b.*?\s--(?:\s+(.*))?$")]
    private static partial Regex DotnetRun();

    [GeneratedRegex(@"^dotnet\s+(\S*streamer\.dll|\$S)(?=\s|$)(.*)$")]
    private static partial Regex DotnetDll();

    // An optional group starts with an option ("[--port 443]"), unlike an IPv6 address ("[::1]:9611").
    [GeneratedRegex(@"\[(-[^\[\]]*)\]")]
    private static partial Regex OptionalGroup();

    [GeneratedRegex(@"^(?:\d?>>?|&>|<)")]
    private static partial Regex Redirection();

    [GeneratedRegex(@"^(?:\d?>>?|&>|<)$")]
    private static partial Regex RedirectionOnly();
}
