namespace Airut.Sandbox.Core.Credentials;

/// <summary>Replacement of one entry's surrogate inside one header value: directly (MS-22) or inside Basic auth
/// (MS-24, hardened per CRED-05).</summary>
public static class SurrogateSubstitution
{
    /// <summary>Computes the replaced value. <paramref name="newValue"/> holds the real value only when the
    /// outcome is <see cref="SubstitutionOutcome.Replaced"/>.</summary>
    public static SubstitutionOutcome Apply(string headerName, string value, SurrogateCredential entry, out string? newValue)
    {
        ArgumentNullException.ThrowIfNull(headerName);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(entry);
        newValue = null;
        var surrogate = entry.Surrogate;
        var real = entry.Secret.Value.Reveal;
        if (value.Contains(surrogate, StringComparison.Ordinal))
        {
            newValue = value.Replace(surrogate, real, StringComparison.Ordinal);
            return SubstitutionOutcome.Replaced;
        }

        if (!string.Equals(headerName, "authorization", StringComparison.OrdinalIgnoreCase) ||
            !BasicAuthorization.TryDecode(value, out var user, out var password))
        {
            return SubstitutionOutcome.NotFound;
        }

        var inUser = user.Contains(surrogate, StringComparison.Ordinal);
        var inPassword = password.Contains(surrogate, StringComparison.Ordinal);
        if (!inUser && !inPassword)
        {
            return SubstitutionOutcome.NotFound;
        }

        // CRED-05: the surrogate must be a whole field, and a surrogate username may only come with an empty
        // password (or the same surrogate), so no foreign token rides along with the real credential. A real
        // value with a colon cannot be a username: it would move the user/password split.
        var userAcceptable = !inUser ||
            (string.Equals(user, surrogate, StringComparison.Ordinal) && !real.Contains(':', StringComparison.Ordinal) &&
             (password.Length == 0 || string.Equals(password, surrogate, StringComparison.Ordinal)));
        var passwordAcceptable = !inPassword || string.Equals(password, surrogate, StringComparison.Ordinal);
        if (!userAcceptable || !passwordAcceptable)
        {
            return SubstitutionOutcome.RefusedComposite;
        }

        newValue = BasicAuthorization.Encode(inUser ? real : user, inPassword ? real : password);
        return SubstitutionOutcome.Replaced;
    }
}

/// <summary>Result of <see cref="SurrogateSubstitution.Apply"/>.</summary>
public enum SubstitutionOutcome
{
    /// <summary>The surrogate is not in the value.</summary>
    NotFound,

    /// <summary>The surrogate was replaced by the real value.</summary>
    Replaced,

    /// <summary>A Basic credential holds the surrogate mixed with foreign material (CRED-05); nothing was replaced.</summary>
    RefusedComposite,
}
