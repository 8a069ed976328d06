// Display formatting for the popup, approval window and notifications.
// Money is exact: BTT amounts travel as decimal strings of base units (10^-18 BTT) and are handled as
// BigInt here, never as floating point. Byte counts and rates are only displayed, so Number is fine.

export const BTT_DECIMALS = 18;

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 → "1.5 KiB"; binary units because that is what file managers and torrent clients show. */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${bytes} B`;
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${trimZeros(value.toFixed(digits))} ${BYTE_UNITS[unit]}`;
}

export function formatRate(bytesPerSecond) {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** Seconds left → "45 s", "3 min 20 s", "2 h 5 min", "3 d 4 h"; null (unknown) → "—". */
export function formatEta(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return joinUnits(minutes, 'min', s % 60, 's');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return joinUnits(hours, 'h', minutes % 60, 'min');
  const days = Math.floor(hours / 24);
  if (days > 365) return '> 1 year';
  return joinUnits(days, 'd', hours % 24, 'h');
}

function joinUnits(major, majorUnit, minor, minorUnit) {
  return minor === 0 ? `${major} ${majorUnit}` : `${major} ${majorUnit} ${minor} ${minorUnit}`;
}

/** Whole-number per-mille progress for aria-valuenow / the bar width; exact integer arithmetic. */
export function progressPermille(doneBytes, totalBytes) {
  if (!(totalBytes > 0)) return 0;
  const done = BigInt(Math.max(0, Math.min(doneBytes, totalBytes)));
  return Number((done * 1000n) / BigInt(totalBytes));
}

/** 1000 per-mille → "100 %", 425 → "42.5 %". */
export function formatPermille(permille) {
  const whole = Math.floor(permille / 10);
  const tenth = permille % 10;
  return tenth === 0 ? `${whole} %` : `${whole}.${tenth} %`;
}

export class AmountFormatError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AmountFormatError';
  }
}

/**
 * Base units (a decimal string or BigInt) → decimal token amount, exact:
 * "1500000000000000000" → "1.5". Trailing fraction zeros are dropped.
 */
export function formatBaseUnits(baseUnits, decimals = BTT_DECIMALS) {
  const units = toBigInt(baseUnits);
  if (units < 0n) throw new AmountFormatError('an amount cannot be negative');
  const scale = 10n ** BigInt(decimals);
  const whole = units / scale;
  const fraction = (units % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
}

/** "1.5" → 1500000000000000000n. Rejects signs, exponents, and more fraction digits than the token has. */
export function parseAmountToBaseUnits(text, decimals = BTT_DECIMALS) {
  const trimmed = String(text ?? '').trim();
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(trimmed);
  if (!match) throw new AmountFormatError(`"${trimmed}" is not an amount: use digits and at most one decimal point, e.g. 10 or 0.5`);
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) throw new AmountFormatError(`at most ${decimals} digits after the decimal point`);
  return BigInt(match[1]) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
}

/** Normalises a decimal amount the way the helper expects it in requests ("010.50" → "10.5"). */
export function normaliseAmount(text, decimals = BTT_DECIMALS) {
  return formatBaseUnits(parseAmountToBaseUnits(text, decimals), decimals);
}

/** "1234567.5" → "1,234,567.5" for display; keeps every fraction digit (exact). */
export function groupThousands(decimal) {
  const [whole, fraction] = String(decimal).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

export function formatBtt(baseUnits) {
  return `${groupThousands(formatBaseUnits(baseUnits))} BTT`;
}

function toBigInt(value) {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && /^[0-9]+$/.test(value)) return BigInt(value);
  throw new AmountFormatError(`not a base-unit amount: ${String(value)}`);
}

function trimZeros(fixed) {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

const STATE_LABELS = {
  FETCHING_METADATA: 'Fetching metadata',
  CHECKING: 'Checking',
  DOWNLOADING: 'Downloading',
  SEEDING: 'Seeding',
  PAUSED: 'Paused',
  ERROR: 'Error',
  COMPLETED: 'Completed',
};

export function stateLabel(state) {
  return STATE_LABELS[state] ?? String(state);
}

/** Published TRON chain ids (used in typed data); a devnet's depends on its genesis, so only the helper knows it. */
const CHAIN_IDS = { mainnet: '728126428', nile: '3448148188' };

export function chainIdOf(network) {
  return CHAIN_IDS[network] ?? null;
}

export function networkLabel(network) {
  switch (network) {
    case 'mainnet': return 'TRON mainnet — real money';
    case 'nile': return 'Nile testnet — test tokens';
    case 'devnet': return 'Local devnet — no real money';
    default: return String(network);
  }
}
