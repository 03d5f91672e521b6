import { Badge, Box, Group, Text } from '@mantine/core';
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ZoneTree as ZoneTreeData, ZoneTreeNode } from '@shared/domain/registry/fiveHeads';
import type { HeadLevel, HeadRef } from '@shared/domain/registry/types';
import { useT } from '../../../../i18n';
import type { People } from '../common/usePeople';
import classes from './ZoneTree.module.css';

/** A tree item's key: `zone:<id>` or `building:<id>`. */
export type TreeKey = `zone:${string}` | `building:${string}`;

interface Item {
  key: TreeKey;
  level: HeadLevel;
  name: string;
  /** A building's compound, shown beside its name. */
  compound: string;
  head: HeadRef | null;
  depth: number;
  parent: TreeKey | null;
  children: Item[];
}

function toItems(
  node: ZoneTreeNode,
  depth: number,
  parent: TreeKey | null,
  compoundOf: ReadonlyMap<string, string>,
): Item {
  const key: TreeKey = `zone:${node.zone.id}`;
  return {
    key,
    level: node.zone.level,
    name: node.zone.name,
    compound: '',
    head: node.zone.head,
    depth,
    parent,
    children: [
      ...node.children.map((child) => toItems(child, depth + 1, key, compoundOf)),
      ...node.buildings.map((b): Item => ({
        key: `building:${b.id}`,
        level: 'building',
        name: b.name,
        compound: compoundOf.get(b.id) ?? '',
        head: b.head,
        depth: depth + 1,
        parent: key,
        children: [],
      })),
    ],
  };
}

export interface ZoneTreeProps {
  tree: ZoneTreeData;
  people: People;
  /** The compound name of each building (by building id). */
  compoundOf?: ReadonlyMap<string, string>;
  selected: TreeKey | null;
  onSelect: (key: TreeKey) => void;
  label: string;
}

/**
 * The five-heads tree as a WAI-ARIA tree view: one tab stop (the active item), ↑/↓ move, → opens or enters, ← closes
 * or goes to the parent, Home/End jump, Enter or Space selects. Buildings under no zone are listed at the end.
 */
export function ZoneTree({ tree, people, compoundOf = new Map(), selected, onSelect, label }: ZoneTreeProps) {
  const t = useT();
  const [collapsed, setCollapsed] = useState<ReadonlySet<TreeKey>>(new Set());
  const [active, setActive] = useState<TreeKey | null>(null);
  const refs = useRef(new Map<TreeKey, HTMLLIElement>());

  const roots: Item[] = [
    ...tree.roots.map((node) => toItems(node, 1, null, compoundOf)),
    ...tree.unplacedBuildings.map((b): Item => ({
      key: `building:${b.id}`,
      level: 'building',
      name: b.name,
      compound: compoundOf.get(b.id) ?? '',
      head: b.head,
      depth: 1,
      parent: null,
      children: [],
    })),
  ];
  const visible: Item[] = [];
  const walk = (items: Item[]) => {
    for (const item of items) {
      visible.push(item);
      if (!collapsed.has(item.key)) walk(item.children);
    }
  };
  walk(roots);
  const current = visible.find((i) => i.key === (active ?? selected)) ?? visible[0];

  const focus = (key: TreeKey) => {
    setActive(key);
    refs.current.get(key)?.focus();
  };
  const toggle = (key: TreeKey, open: boolean) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (open) next.delete(key);
      else next.add(key);
      return next;
    });

  const onKeyDown = (event: KeyboardEvent, item: Item) => {
    const index = visible.indexOf(item);
    const move = (to: Item | undefined) => {
      if (to) focus(to.key);
    };
    switch (event.key) {
      case 'ArrowDown':
        move(visible[index + 1]);
        break;
      case 'ArrowUp':
        move(visible[index - 1]);
        break;
      case 'Home':
        move(visible[0]);
        break;
      case 'End':
        move(visible[visible.length - 1]);
        break;
      case 'ArrowRight':
        if (item.children.length === 0) return;
        if (collapsed.has(item.key)) toggle(item.key, true);
        else move(item.children[0]);
        break;
      case 'ArrowLeft':
        if (item.children.length > 0 && !collapsed.has(item.key)) toggle(item.key, false);
        else if (item.parent) focus(item.parent);
        break;
      case 'Enter':
      case ' ':
        onSelect(item.key);
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  };

  const render = (items: Item[]): ReactNode =>
    items.map((item) => {
      const person = people.lookup(item.head);
      const open = !collapsed.has(item.key);
      const headText = `${t(`places.head.${item.level}`)}${t('places.colon')}${
        person ? `${person.name} ${person.phone ?? ''}` : t('places.head.none')
      }`;
      return (
        <li
          key={item.key}
          ref={(el) => {
            if (el) refs.current.set(item.key, el);
            else refs.current.delete(item.key);
          }}
          role="treeitem"
          // The name is the item's own line; without it the name would include every descendant's text.
          aria-label={`${t(`places.level.${item.level}`)} ${item.name}${item.compound ? ` ${item.compound}` : ''} ${headText}`}
          aria-level={item.depth}
          aria-selected={item.key === selected}
          aria-expanded={item.children.length > 0 ? open : undefined}
          tabIndex={item.key === current?.key ? 0 : -1}
          className={classes.item}
          data-testid={item.key}
          onKeyDown={(event) => onKeyDown(event, item)}
          onClick={(event) => {
            event.stopPropagation();
            setActive(item.key);
            onSelect(item.key);
          }}
          onFocus={(event) => {
            if (event.target === event.currentTarget) setActive(item.key);
          }}
        >
          <Box className={classes.row} data-selected={item.key === selected || undefined} pl={(item.depth - 1) * 20}>
            <Group gap={6} wrap="nowrap">
              <Text
                component="span"
                size="xs"
                c="dimmed"
                w={12}
                aria-hidden
                onClick={(event) => {
                  if (item.children.length === 0) return;
                  event.stopPropagation();
                  toggle(item.key, !open);
                }}
              >
                {item.children.length === 0 ? '' : open ? '▾' : '▸'}
              </Text>
              <Badge size="xs" variant="light" color={item.level === 'building' ? 'teal' : 'blue'}>
                {t(`places.level.${item.level}`)}
              </Badge>
              <Text component="span" size="sm" fw={500}>
                {item.name}
              </Text>
              {item.compound && (
                <Text component="span" size="xs" c="dimmed" data-testid={`${item.key}:compound`}>
                  {item.compound}
                </Text>
              )}
              <Text component="span" size="xs" c={person ? undefined : 'dimmed'}>
                {headText}
              </Text>
            </Group>
          </Box>
          {item.children.length > 0 && open && (
            <ul role="group" className={classes.group}>
              {render(item.children)}
            </ul>
          )}
        </li>
      );
    });

  if (visible.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('places.tree.empty')}
      </Text>
    );
  }
  return (
    <ul role="tree" aria-label={label} className={classes.tree}>
      {render(roots)}
    </ul>
  );
}
