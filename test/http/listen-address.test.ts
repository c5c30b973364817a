import { describe, expect, it } from 'vitest';
import { isLoopback, parseListenAddress } from '../../src/config/listen-address.js';
import { checkValue } from '../../src/config/check-value.js';
import { plainChecker } from '../../src/config/config-checker.js';
import { schemaFacts } from '../../src/config/schema.js';
import { zodChecker } from '../../src/config/zod-checker.js';

describe('parseListenAddress', () => {
  it.each([
    [8080, { host: '127.0.0.1', port: 8080 }],
    ['0', { host: '127.0.0.1', port: 0 }],
    ['localhost:3000', { host: 'localhost', port: 3000 }],
    ['0.0.0.0:80', { host: '0.0.0.0', port: 80 }],
    ['[::1]:9000', { host: '::1', port: 9000 }],
    ['65536', null],
    ['host:', null],
    ['http://x:80', null],
    [':80', null],
    [-1, null],
    [true, null],
  ])('%j', (value, expected) => {
    expect(parseListenAddress(value)).toEqual(expected);
  });

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['192.168.1.4', false],
    ['example.com', false],
  ])('isLoopback(%s) is %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });

  it.each([
    ['the schema', zodChecker()],
    ['the value rules', plainChecker(schemaFacts())],
  ])('names the key, the value and what was expected (%s)', (_, checker) => {
    expect(checkValue('http', 'nowhere', 'text', checker)).toEqual({
      ok: false,
      message:
        'Expected `http` to be a port such as 8080, or HOST:PORT such as "0.0.0.0:8080", got `"nowhere"`',
    });
    expect(checkValue('httpToken', 'short', 'json', checker)).toMatchObject({ ok: false });
  });
});
