import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphError } from './errors.ts';
import { evaluateFilter, parseFilter } from './odata-filter.ts';

const user = {
  id: '1',
  displayName: "Adele O'Neil",
  userType: 'Guest',
  accountEnabled: true,
  identities: [
    { signInType: 'emailAddress', issuer: 'contoso.onmicrosoft.com', issuerAssignedId: 'adele@contoso.com' },
    { signInType: 'federated', issuer: 'ExternalAzureAD', issuerAssignedId: 'x' },
  ],
};
const country = {
  '@odata.type': '#microsoft.graph.countryNamedLocation',
  countriesAndRegions: ['CA', 'US'],
  insiderRiskLevels: 'moderate,elevated',
};

function matches(filter: string, target: unknown): boolean {
  return evaluateFilter(parseFilter(filter), target);
}

describe('OData $filter', () => {
  it('compares strings case-insensitively, with escaped quotes', () => {
    assert.equal(matches("userType eq 'guest'", user), true);
    assert.equal(matches("displayName eq 'Adele O''Neil'", user), true);
    assert.equal(matches("userType ne 'Guest'", user), false);
  });

  it('supports and/or/not, parentheses and booleans', () => {
    assert.equal(matches("(userType eq 'Member' or accountEnabled eq true) and not (id eq '2')", user), true);
    assert.equal(matches("userType eq 'Member' and accountEnabled eq true", user), false);
  });

  it('supports in, startsWith and endsWith', () => {
    assert.equal(matches("id in ('3', '1')", user), true);
    assert.equal(matches("startsWith(displayName, 'adele')", user), true);
    assert.equal(matches("endsWith(displayName, 'neil')", user), true);
    assert.equal(matches("startsWith(displayName, 'Bob')", user), false);
  });

  it('supports any() lambdas with several conditions on one element', () => {
    assert.equal(
      matches(
        "identities/any(c:c/issuerAssignedId eq 'adele@contoso.com' and c/issuer eq 'contoso.onmicrosoft.com')",
        user,
      ),
      true,
    );
    assert.equal(
      matches(
        "identities/any(c:c/issuerAssignedId eq 'adele@contoso.com' and c/issuer eq 'ExternalAzureAD')",
        user,
      ),
      false,
    );
  });

  it('supports isof and type-cast paths, as the named-location list documents', () => {
    assert.equal(matches("isof('microsoft.graph.countryNamedLocation')", country), true);
    assert.equal(matches("isof('microsoft.graph.ipNamedLocation')", country), false);
    assert.equal(
      matches("microsoft.graph.countryNamedLocation/countriesAndRegions/any(c: c eq 'CA')", country),
      true,
    );
    assert.equal(
      matches("microsoft.graph.countryNamedLocation/countriesAndRegions/any(c: c eq 'FR')", country),
      false,
    );
  });

  it('supports has on flags enums', () => {
    assert.equal(matches("insiderRiskLevels has 'elevated'", country), true);
    assert.equal(matches("insiderRiskLevels has 'minor'", country), false);
  });

  it('rejects malformed expressions with a Graph 400', () => {
    for (const bad of [
      "userType eq 'x",
      'userType xx 3',
      '(userType eq 1',
      'eq',
      'startsWith(displayName)',
      '',
      'a eq @',
    ]) {
      assert.throws(
        () => parseFilter(bad),
        (err: unknown) => err instanceof GraphError && err.status === 400,
        bad,
      );
    }
  });
});
