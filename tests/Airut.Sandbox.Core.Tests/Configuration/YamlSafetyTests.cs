using System.Text;
using Airut.Sandbox.Abstractions.Configuration;
using Airut.Sandbox.Abstractions.Errors;
using Airut.Sandbox.Core.Configuration;
using Airut.Sandbox.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using static Airut.Sandbox.Core.Tests.Configuration.ConfigurationFixture;

namespace Airut.Sandbox.Core.Tests.Configuration;

/// <summary>attacks.md CFG-03 (loader side): hostile or broken files fail closed with a location.</summary>
[Trait(TestCategories.Name, TestCategories.Unit)]
public sealed class YamlSafetyTests : IDisposable
{
    private readonly TemporaryDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Task<Allowlist> LoadAllowlistAsync(string path) =>
        new AllowlistLoader(NullLogger<AllowlistLoader>.Instance).LoadAsync(path, explicitlyNamed: true, CancellationToken.None);

    private Task<SandboxConfiguration> LoadSandboxAsync(string path) =>
        new SandboxConfigurationLoader(new FakeEnvironment(), NullLogger<SandboxConfigurationLoader>.Instance)
            .LoadAsync(path, _dir.Path, explicitlyNamed: true, CancellationToken.None);

    [Fact]
    public async Task CFG_03_utf8_byte_order_mark_is_accepted()
    {
        var bom = new byte[] { 0xEF, 0xBB, 0xBF };
        var allowlist = await LoadAllowlistAsync(_dir.WriteBytes("a.yaml", [.. bom, .. "domains: [a.test]\n"u8.ToArray()]));
        Assert.Equal(["a.test"], allowlist.Domains);

        var config = await LoadSandboxAsync(_dir.WriteBytes("s.yaml", [.. bom, .. "network_sandbox: false\n"u8.ToArray()]));
        Assert.False(config.NetworkSandbox);
    }

    [Fact]
    public async Task CFG_03_utf16_with_bom_is_refused_at_the_start()
    {
        var path = _dir.WriteBytes("a.yaml", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("domains: [a.test]\n")).ToArray());
        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(() => LoadAllowlistAsync(path));
        Assert.Equal("the file is UTF-16 encoded; save it as UTF-8", error.Detail);
        Assert.Equal(new SourceLocation(path, 1, 1), error.Location);

        path = _dir.WriteBytes("b.yaml", Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes("domains: []\n")).ToArray());
        error = await Assert.ThrowsAsync<SandboxConfigurationException>(() => LoadSandboxAsync(path));
        Assert.Equal("the file is UTF-16 encoded; save it as UTF-8", error.Detail);
    }

    [Fact]
    public async Task CFG_03_utf32_with_bom_is_refused()
    {
        var utf32 = new UTF32Encoding(bigEndian: false, byteOrderMark: true);
        var path = _dir.WriteBytes("a.yaml", utf32.GetPreamble().Concat(utf32.GetBytes("domains: []\n")).ToArray());
        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(() => LoadAllowlistAsync(path));
        Assert.Equal("the file is UTF-32 encoded; save it as UTF-8", error.Detail);
    }

    [Fact]
    public async Task CFG_03_utf16_without_bom_is_refused_at_the_first_nul()
    {
        var path = _dir.WriteBytes("a.yaml", Encoding.Unicode.GetBytes("domains: [a.test]\n"));
        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(() => LoadAllowlistAsync(path));
        Assert.StartsWith("the file contains a NUL character", error.Detail, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(path, 1, 2), error.Location);
    }

    [Fact]
    public async Task CFG_03_invalid_utf8_is_refused_at_its_line_and_column()
    {
        byte[] bytes = [.. "domains:\n  - a.test\n  - b"u8.ToArray(), 0xC3, 0x28, .. ".test\n"u8.ToArray()];
        var path = _dir.WriteBytes("a.yaml", bytes);
        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(() => LoadAllowlistAsync(path));
        Assert.Equal("the file is not valid UTF-8 text; save it as UTF-8", error.Detail);
        Assert.Equal(new SourceLocation(path, 3, 6), error.Location);
    }

    [Fact]
    public async Task CFG_03_a_file_over_one_mebibyte_is_refused_before_parsing()
    {
        // Content that would be a syntax error: the size check must come first.
        var path = _dir.Write("a.yaml", new string('[', ConfigurationLimits.MaxYamlBytes + 1));
        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(() => LoadAllowlistAsync(path));
        Assert.Equal("the file is larger than 1048576 bytes; configuration files are limited to that size", error.Detail);
    }

    [Fact]
    public async Task CFG_03_a_100_megabyte_file_is_refused_without_reading_it()
    {
        var path = Path.Combine(_dir.Path, "huge.yaml");
        using (var stream = File.Create(path))
        {
            stream.SetLength(100L * 1024 * 1024);
        }

        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(() => LoadSandboxAsync(path));
        Assert.StartsWith("the file is larger than 1048576 bytes", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CFG_03_an_endless_character_device_is_refused_by_the_bounded_read()
    {
        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(() => LoadAllowlistAsync("/dev/zero"));
        Assert.StartsWith("the file is larger than 1048576 bytes", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CFG_03_a_file_of_exactly_the_cap_loads()
    {
        var head = "domains: [a.test]\n";
        var path = _dir.Write("a.yaml", head + "#" + new string('x', ConfigurationLimits.MaxYamlBytes - head.Length - 2) + "\n");
        Assert.Equal(ConfigurationLimits.MaxYamlBytes, new FileInfo(path).Length);
        Assert.Equal(["a.test"], (await LoadAllowlistAsync(path)).Domains);
    }

    [Fact]
    public void CFG_03_alias_bomb_is_refused_at_its_first_anchor()
    {
        var bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 1; i < 10; i++)
        {
            var previous = (char)('a' + i - 1);
            bomb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{(char)('a' + i)}: &{(char)('a' + i)} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]\n");
        }

        var error = AllowlistError(bomb.ToString());
        Assert.Equal("YAML anchors ('&a') are not allowed in configuration files; write the value out", error.Detail);
        AssertAt(error, AllowlistFile, 1, 4, "a");
    }

    [Fact]
    public async Task CFG_03_anchors_and_merge_keys_are_refused_in_sandbox_yaml_too()
    {
        var error = await SandboxErrorAsync("env:\n  A: &v value\n  B: *v\n");
        Assert.StartsWith("YAML anchors ('&v')", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 2, 6, "env.A");

        error = await SandboxErrorAsync("env:\n  <<: *base\n");
        Assert.StartsWith("'*base' is read as a YAML alias", error.Detail, StringComparison.Ordinal);
        AssertAt(error, SandboxFile, 2, 7, "env.<<");
    }

    [Theory]
    [InlineData("domains: !!binary aGVsbG8=\n", "!!binary", 1, 10, "domains")]
    [InlineData("domains:\n  - !!python/object/apply:os.system [\"id\"]\n", "!!python/object/apply:os.system", 2, 5, "domains[0]")]
    [InlineData("domains:\n  - !!python/name:os.system ''\n", "!!python/name:os.system", 2, 5, "domains[0]")]
    [InlineData("domains: !!set {a.test: null}\n", "!!set", 1, 10, "domains")]
    [InlineData("domains: !custom [a.test]\n", "!custom", 1, 10, "domains")]
    [InlineData("!!map\ndomains: []\n", "!!map", 1, 1, null)]
    public void CFG_03_custom_and_python_tags_are_refused(string yaml, string tag, int line, int column, string? key)
    {
        var error = AllowlistError(yaml);
        Assert.Contains($"the YAML tag {tag} is not allowed", error.Detail, StringComparison.Ordinal);
        AssertAt(error, AllowlistFile, line, column, key);
    }

    [Fact]
    public void CFG_03_more_than_one_document_is_refused()
    {
        var error = AllowlistError("domains: [a.test]\n---\ndomains: ['*']\n");
        Assert.Equal("the file holds more than one YAML document (a second '---'); keep exactly one", error.Detail);
        AssertAt(error, AllowlistFile, 2, 1, null);

        error = AllowlistError("domains: [a.test]\n...\n---\n");
        Assert.Equal((3, 1), (error.Location!.Line, error.Location.Column));
    }

    [Fact]
    public void CFG_03_duplicate_keys_are_refused_rather_than_last_one_wins()
    {
        var error = AllowlistError("domains: ['*']\nurl_prefixes: []\ndomains: [a.test]\n");
        Assert.Equal("duplicate key 'domains' (first written at line 1); each key may appear once", error.Detail);
        AssertAt(error, AllowlistFile, 3, 1, "domains");
    }

    [Fact]
    public void CFG_03_nesting_beyond_the_limit_is_refused()
    {
        var deep = "domains: " + new string('[', 40) + new string(']', 40) + "\n";
        var error = AllowlistError(deep);
        Assert.Equal("the document is nested deeper than 32 levels", error.Detail);
    }

    [Fact]
    public void CFG_03_complex_keys_are_refused()
    {
        var error = AllowlistError("? [domains]\n: [a.test]\n");
        Assert.Equal("a mapping key must be a plain name, got a list", error.Detail);
        Assert.Equal((1, 3), (error.Location!.Line, error.Location.Column));
    }

    [Fact]
    public async Task CFG_03_nul_escape_inside_a_value_is_refused()
    {
        var error = await SandboxErrorAsync("env:\n  A: \"x\\0y\"\n");
        Assert.Equal("the value contains a NUL character (\\0), which is not allowed", error.Detail);
        AssertAt(error, SandboxFile, 2, 6, "env.A");
    }

    [Fact]
    public void CFG_03_plain_scalar_typing_rule_is_the_union_of_yaml_1_1_and_1_2()
    {
        // Pinned rule: in a string position, a plain scalar a YAML 1.1 (PyYAML) or YAML 1.2 core loader would read
        // as null, boolean, number or date is an error; quoting makes it text.
        string[] notStrings = ["~", "null", "NULL", "on", "Off", "yes", "NO", "true", "False", "1", "-1", "0x1F", "0o17", "017", "0b101", "1_000", "1:30", "1.0", ".5", "1e3", "-.inf", ".NaN", "2024-01-01", "2001-12-14t21:59:43.10-05:00"];
        foreach (var text in notStrings)
        {
            Assert.Throws<SandboxConfigurationException>(() => ParseAllowlist($"domains: [{text}]\n"));
        }

        string[] strings = ["y", "n", "api.test", "10.0.0.1", "1.2.3", "0x", "v1.0", "1e", "2024-1-1x", "nullable", "onion"];
        foreach (var text in strings)
        {
            Assert.Equal([text], ParseAllowlist($"domains: [{text}]\n").Domains);
        }
    }

    [Fact]
    public async Task CFG_03_a_directory_in_place_of_a_file_is_an_error_even_at_the_default_path()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "sandbox.yaml"));
        var error = await Assert.ThrowsAsync<SandboxConfigurationException>(
            () => new SandboxConfigurationLoader(new FakeEnvironment(), NullLogger<SandboxConfigurationLoader>.Instance)
                .LoadAsync(Path.Combine(_dir.Path, "sandbox.yaml"), _dir.Path, explicitlyNamed: false, CancellationToken.None));
        Assert.StartsWith("config path is a directory, not a file", error.Detail, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(_dir.Path, "allow.yaml"));
        error = await Assert.ThrowsAsync<SandboxConfigurationException>(
            () => new AllowlistLoader(NullLogger<AllowlistLoader>.Instance)
                .LoadAsync(Path.Combine(_dir.Path, "allow.yaml"), explicitlyNamed: false, CancellationToken.None));
        Assert.StartsWith("allowlist path is a directory, not a file", error.Detail, StringComparison.Ordinal);
    }
}
