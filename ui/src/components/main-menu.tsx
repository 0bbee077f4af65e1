import { type KeyboardEvent, useRef } from 'react';
import { Link } from '../router';

export interface MenuItem {
  path: string;
  label: string;
}

/** The section a path belongs to: `/jobs/job_1` is in Jobs. */
export function activeItem(items: readonly MenuItem[], path: string): MenuItem | undefined {
  return items.find((item) => (item.path === '/' ? path === '/' : path === item.path || path.startsWith(`${item.path}/`)));
}

/**
 * The main menu: a list of links in a landmark. Tab moves through it like any links; the arrow
 * keys, Home and End move between its items too, as in a menu bar.
 */
export function MainMenu({ items, path }: { items: readonly MenuItem[]; path: string }) {
  const list = useRef<HTMLUListElement>(null);
  const active = activeItem(items, path);
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const links = [...(list.current?.querySelectorAll<HTMLAnchorElement>('a') ?? [])];
    const index = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (index < 0) return;
    const target =
      event.key === 'ArrowDown' || event.key === 'ArrowRight'
        ? links[(index + 1) % links.length]
        : event.key === 'ArrowUp' || event.key === 'ArrowLeft'
          ? links[(index - 1 + links.length) % links.length]
          : event.key === 'Home'
            ? links[0]
            : event.key === 'End'
              ? links[links.length - 1]
              : undefined;
    if (!target) return;
    event.preventDefault();
    target.focus();
  };
  return (
    <nav aria-label="Main" className="main-menu">
      <ul ref={list} onKeyDown={onKeyDown}>
        {items.map((item) => (
          <li key={item.path}>
            <Link to={item.path} aria-current={item === active ? 'page' : undefined}>
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
