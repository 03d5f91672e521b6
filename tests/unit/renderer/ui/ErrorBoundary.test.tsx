import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from '../../../../renderer/ui/ErrorBoundary';
import { renderUi } from '../render';

function Broken(): never {
  throw new Error('screen exploded');
}

describe('ErrorBoundary', () => {
  it('shows a readable message in Chinese and keeps siblings alive', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    renderUi(
      <div>
        <nav>still here</nav>
        <ErrorBoundary>
          <Broken />
        </ErrorBoundary>
      </div>,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('此页面出错了');
    expect(alert.textContent).toContain('screen exploded');
    expect(screen.getByText('still here')).toBeTruthy();
    quiet.mockRestore();
  });

  it('renders its children when nothing throws', () => {
    renderUi(
      <ErrorBoundary>
        <p>fine</p>
      </ErrorBoundary>,
    );
    expect(screen.getByText('fine')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
