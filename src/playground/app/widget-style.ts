/**
 * Widget props to CSS: spacing units, color tokens (`secondary`,
 * `blue-500`, `{ light, dark }`), text sizes and radii, following the
 * scales ChatKit documents closely enough to read a layout. Pure.
 */
const SPACING_UNIT_PX = 4;

export function space(value: unknown): string | undefined {
  if (typeof value === 'number') return `${value * SPACING_UNIT_PX}px`;
  if (typeof value === 'string') return value;
  return undefined;
}

/** `padding`/`margin`: a number, a string, or `{ x, y, top, right, bottom, left }`. */
export function spacingBox(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object') return space(value);
  const box = value as Record<string, unknown>;
  const side = (name: string, axis: string) => space(box[name] ?? box[axis]) ?? '0';
  return `${side('top', 'y')} ${side('right', 'x')} ${side('bottom', 'y')} ${side('left', 'x')}`;
}

export function size(value: unknown): string | undefined {
  if (typeof value === 'number') return `${value}px`;
  return typeof value === 'string' ? value : undefined;
}

const TOKENS: Record<string, string> = {
  primary: 'var(--text)',
  secondary: 'var(--muted)',
  tertiary: 'var(--faint)',
  emphasis: 'var(--text)',
  success: 'var(--success)',
  danger: 'var(--danger)',
  warning: 'var(--warning)',
  caution: 'var(--warning)',
  info: 'var(--info)',
  discovery: 'var(--discovery)',
  white: '#fff',
  black: '#000',
};

const HUES: Record<string, [hue: number, saturation: number]> = {
  red: [0, 75], orange: [25, 90], amber: [40, 90], yellow: [50, 90], lime: [85, 70], green: [140, 60], emerald: [155, 65],
  teal: [172, 65], cyan: [188, 75], sky: [200, 85], blue: [220, 85], indigo: [235, 70], violet: [260, 75], purple: [275, 70],
  fuchsia: [295, 70], pink: [330, 75], rose: [350, 80], gray: [220, 9], slate: [215, 20], zinc: [240, 5], neutral: [0, 0], stone: [25, 6],
};

export function color(value: unknown): string | undefined {
  if (value && typeof value === 'object') return color((value as { light?: unknown }).light);
  if (typeof value !== 'string') return undefined;
  if (TOKENS[value]) return TOKENS[value];
  const shade = /^([a-z]+)-(\d{2,3})$/.exec(value);
  if (shade && HUES[shade[1]!]) {
    const [hue, saturation] = HUES[shade[1]!]!;
    const lightness = Math.max(8, Math.min(97, 100 - Number(shade[2]) * 0.092));
    return `hsl(${hue} ${saturation}% ${lightness.toFixed(0)}%)`;
  }
  const surface = /^surface(-\w+)?$/.exec(value);
  if (surface) return 'var(--surface)';
  return value;
}

const TEXT_SIZES: Record<string, string> = { xs: '12px', sm: '13.5px', md: '15px', lg: '17px', xl: '20px' };
const TITLE_SIZES: Record<string, string> = { sm: '15px', md: '17px', lg: '20px', xl: '24px', '2xl': '28px', '3xl': '32px', '4xl': '36px', '5xl': '44px' };
const RADII: Record<string, string> = { '2xs': '2px', xs: '4px', sm: '6px', md: '8px', lg: '12px', xl: '16px', '2xl': '20px', '3xl': '24px', '4xl': '32px', full: '9999px', '100%': '100%', none: '0' };
const WEIGHTS: Record<string, string> = { normal: '400', medium: '500', semibold: '600', bold: '700' };
const ICON_SIZES: Record<string, string> = { xs: '12px', sm: '14px', md: '16px', lg: '18px', xl: '20px', '2xl': '24px', '3xl': '32px' };

export const textSize = (value: unknown, scale: 'text' | 'title' = 'text') => (typeof value === 'string' ? (scale === 'title' ? TITLE_SIZES : TEXT_SIZES)[value] : undefined);
export const radius = (value: unknown) => (typeof value === 'string' ? (RADII[value] ?? value) : size(value));
export const weight = (value: unknown) => (typeof value === 'string' ? WEIGHTS[value] : undefined);
export const iconSize = (value: unknown) => (typeof value === 'string' ? ICON_SIZES[value] : undefined);

const ALIGN: Record<string, string> = { start: 'flex-start', end: 'flex-end', center: 'center', baseline: 'baseline', stretch: 'stretch' };
const JUSTIFY: Record<string, string> = { ...ALIGN, between: 'space-between', around: 'space-around', evenly: 'space-evenly' };
export const align = (value: unknown) => (typeof value === 'string' ? ALIGN[value] : undefined);
export const justify = (value: unknown) => (typeof value === 'string' ? JUSTIFY[value] : undefined);

export function border(value: unknown): string | undefined {
  if (typeof value === 'number') return `${value}px solid var(--border)`;
  if (value && typeof value === 'object') {
    const b = value as { size?: number; color?: unknown; style?: string };
    if (typeof b.size === 'number') return `${b.size}px ${b.style ?? 'solid'} ${color(b.color) ?? 'var(--border)'}`;
  }
  return undefined;
}

/**
 * A glyph per ChatKit icon name, from symbols common text fonts have (no
 * emoji: a machine without an emoji font would show empty boxes). Names
 * without a fitting symbol show as the name itself, so nothing is hidden.
 */
const ICONS: Record<string, string> = {
  check: '✓', 'check-circle': '✔', 'check-circle-filled': '✔', 'chevron-left': '‹', 'chevron-right': '›', 'circle-question': '?',
  dot: '•', 'dots-horizontal': '⋯', 'dots-vertical': '⋮', 'empty-circle': '○', 'external-link': '↗', info: 'ⓘ', play: '▶', plus: '+',
  reload: '↻', star: '☆', 'star-filled': '★', sparkle: '✦', 'sparkle-double': '✧', write: '✎', 'write-alt': '✎', 'write-alt2': '✎',
  bolt: '⚡', 'settings-slider': '⚙', mail: '✉', phone: '☎', atom: '⚛', user: '♙', profile: '♙', clock: '◷', calendar: '▦', globe: '◍',
  document: '▤', 'page-blank': '▯', 'square-text': '▤', 'square-code': '⌨', lightbulb: '☼', 'map-pin': '⌖', compass: '⌖', search: '⌕',
};

export function iconGlyph(name: unknown): string {
  return typeof name === 'string' ? (ICONS[name] ?? `[${name}]`) : '';
}
